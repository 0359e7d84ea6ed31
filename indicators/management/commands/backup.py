"""`manage.py backup --output FILE`: one consistent dump of everything the app holds."""

import json
import os
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.management.commands._backup_format import (
    FORMAT,
    VERSION,
    backed_up_models,
    file_digest,
    json_default,
    open_backup,
)
from indicators.models import Evidence


class Command(BaseCommand):
    help = (
        "Write all plans, indicator definitions, values, breakdowns, history, users and the "
        "index of evidence files to one JSON file, read in a single consistent snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="File to write (.json, or .json.gz to compress). "
            "Default: tiess-backup-<date>.json.gz in the current folder.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(output or f"tiess-backup-{stamp}.json.gz")
        connection = connections[database]
        connection.ensure_connection()
        # Inside an enclosing transaction (tests), its snapshot is already the one read.
        own_transaction = not connection.in_atomic_block
        with transaction.atomic(using=database):
            if connection.vendor == "postgresql" and own_transaction:
                # One snapshot for every table, even while people keep saving.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            document = self.snapshot(database)
        tmp = path.with_name(path.name + ".part")
        try:
            # The dump holds password hashes: readable by its owner only.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.close(fd)
            with open_backup(tmp, "w", compressed=path.name.endswith(".gz")) as handle:
                json.dump(document, handle, ensure_ascii=False, default=json_default)
            os.replace(tmp, path)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write the backup %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        total = sum(document["counts"].values())
        files = document["evidence_files"]
        missing = sum(1 for entry in files if entry["missing"])
        self.stdout.write(
            _("Backup written to %(path)s: %(count)s records, %(files)s evidence files indexed.")
            % {"path": path, "count": total, "files": len(files)}
        )
        if missing:
            self.stderr.write(
                _("%(count)s evidence files were not found on disk (listed as missing).")
                % {"count": missing}
            )

    def snapshot(self, database):
        objects = []
        counts = {}
        for model, natural_foreign, natural_primary in backed_up_models():
            queryset = model._base_manager.using(database).order_by("pk")
            rows = serializers.serialize(
                "python",
                queryset.iterator(chunk_size=2000),
                use_natural_foreign_keys=natural_foreign,
                use_natural_primary_keys=natural_primary,
            )
            counts[model._meta.label_lower] = len(rows)
            objects += rows
        migrations = {}
        recorder = MigrationRecorder(connections[database])
        for app, name in recorder.applied_migrations():
            migrations.setdefault(app, []).append(name)
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "database": connections[database].vendor,
            "migrations": {app: sorted(names) for app, names in sorted(migrations.items())},
            "counts": counts,
            "objects": objects,
            "evidence_files": self.evidence_index(database),
        }

    def evidence_index(self, database):
        """Name, size and sha256 of every stored evidence file (missing ones flagged)."""
        index = []
        names = (
            Evidence.objects.using(database)
            .exclude(file="")
            .order_by("pk")
            .values_list("file", flat=True)
        )
        for name in names:
            try:
                size, sha256 = file_digest(name)
            except FileNotFoundError:
                index.append({"name": name, "size": None, "sha256": None, "missing": True})
                continue
            index.append({"name": name, "size": size, "sha256": sha256, "missing": False})
        return index
