"""Where uploaded and prepared files live: the local disk (`MEDIA_ROOT`) by default, or an
S3-compatible bucket (AWS S3, MinIO, Ceph…) through django-storages when `FILE_STORAGE=s3`.

Either way the app reads and writes them through Django's storage API only, and serves them
itself after its permission checks (the bucket stays private: nothing links to it).
"""

from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"


def _s3_options(env):
    """django-storages' options, from the AWS_* variables (.env.example lists them)."""
    options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default=""),
        # Keys may also come from boto3's own chain (instance role, ~/.aws/credentials).
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        # Another S3-compatible service than AWS: its address, e.g. https://s3.example.ca
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
        # A folder inside the bucket, to share one bucket between sites.
        "location": env("AWS_LOCATION", default=""),
        "signature_version": "s3v4",
        # Never replace a stored file; a URL, if ever made, is signed and short-lived.
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
    }
    if not options["bucket_name"]:
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return {name: value for name, value in options.items() if value is not None}


def default_storage_setting(env):
    """`STORAGES["default"]`, chosen by `FILE_STORAGE` (local, the default, or s3)."""
    kind = env("FILE_STORAGE", default="local").lower()
    if kind == "local":
        return {"BACKEND": LOCAL_BACKEND}
    if kind == "s3":
        return {"BACKEND": S3_BACKEND, "OPTIONS": _s3_options(env)}
    raise ImproperlyConfigured(f"FILE_STORAGE must be « local » or « s3 », not « {kind} ».")
