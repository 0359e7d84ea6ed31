"""What a backup holds, shared by the `backup` and `restore` commands.

A backup is one JSON document (gzip-compressed when the file name ends in `.gz`):

    {"format": "tiess-backup", "version": 1, "created_at": "…", "migrations": {app: [names]},
     "counts": {"app.model": n}, "objects": [Django serialized objects],
     "evidence_files": [{"name": "evidence/….pdf", "size": n, "sha256": "…"}]}

Groups are written by name (the `0002_roles` migration creates them in every database), users
with their primary keys (the plan's data refers to them by key), permissions and content
types by natural key. The evidence files themselves are not in the dump: copy MEDIA_ROOT
alongside it; the index lets `restore` check that the copied files are the right ones.
"""

import datetime
import decimal
import gzip
import hashlib
import uuid

from django.apps import apps
from django.core.files.storage import default_storage
from django.utils.duration import duration_iso_string

FORMAT = "tiess-backup"
VERSION = 1

# (model label, write foreign keys by natural key, write the primary key by natural key)
FIXED_MODELS = [
    ("auth.group", True, True),
    ("auth.user", True, False),
]
# Every model of these apps, historical tables included.
DATA_APPS = ["plan", "indicators"]
TRAILING_MODELS = [("admin.logentry", True, False)]


def backed_up_models():
    """[(model, natural foreign keys, natural primary keys)] in the order they are loaded."""
    models = [(apps.get_model(label), nfk, npk) for label, nfk, npk in FIXED_MODELS]
    for app_label in DATA_APPS:
        models += [(model, False, False) for model in apps.get_app_config(app_label).get_models()]
    models += [(apps.get_model(label), nfk, npk) for label, nfk, npk in TRAILING_MODELS]
    return models


def open_backup(path, mode, *, compressed=None):
    """Open a backup file for text reading or writing, gzip when the name ends in .gz."""
    if compressed is None:
        compressed = str(path).endswith(".gz")
    if compressed:
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")  # noqa: SIM115 (returned to a with block)


def file_digest(name):
    """(size in bytes, sha256 hex digest) of a stored file, read in chunks through the
    storage API (the local disk or an S3 bucket alike); FileNotFoundError when it is missing."""
    digest = hashlib.sha256()
    size = 0
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def json_default(value):
    """JSON for what Django's python serializer yields, keeping microseconds.

    Django's JSON encoder cuts datetimes to milliseconds (ECMAScript style), which would
    change history timestamps and could reorder versions saved within the same millisecond.
    """
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
