"""`manage.py restore FILE`: load a backup written by `manage.py backup` into an empty database."""

import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from indicators.management.commands._backup_format import (
    FORMAT,
    VERSION,
    backed_up_models,
    file_digest,
    open_backup,
)
from plan.versions import ALL_PLANS, plan_data_changed

# Rows that `migrate` itself creates: the two groups of indicators.0002_roles.
CREATED_BY_MIGRATIONS = {"auth.group"}


class Command(BaseCommand):
    help = (
        "Load a backup written by `manage.py backup` into an empty database (migrated first), "
        "then check the evidence files against the backup's index."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (.json or .json.gz).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, database=DEFAULT_DB_ALIAS, **options):
        document = self.read(Path(file))
        self.check_migrations(document, database)
        call_command("migrate", database=database, interactive=False, verbosity=0)
        with transaction.atomic(using=database):
            self.check_empty(database)
            with tempfile.TemporaryDirectory() as folder:
                fixture = Path(folder) / "backup.json"
                fixture.write_text(json.dumps(document["objects"]), encoding="utf-8")
                call_command("loaddata", str(fixture), database=database, verbosity=0)
                # The board's cached pages must change (loaddata writes raw rows).
                plan_data_changed(plan_ids=ALL_PLANS, using=database)
            self.check_counts(document, database)
        total = sum(document["counts"].values())
        self.stdout.write(
            _("Backup of %(date)s restored: %(count)s records.")
            % {"date": document["created_at"], "count": total}
        )
        self.check_files(document)

    def read(self, path):
        try:
            with open_backup(path, "r") as handle:
                document = json.load(handle)
        except (OSError, EOFError, ValueError) as error:
            raise CommandError(
                _("Cannot read the backup %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise CommandError(
                _("%(path)s is not a backup written by `manage.py backup`.") % {"path": path}
            )
        if document.get("version") != VERSION:
            raise CommandError(
                _("This backup has format version %(found)s; this version reads version %(known)s.")
                % {"found": document.get("version"), "known": VERSION}
            )
        return document

    def check_migrations(self, document, database):
        """Refuse a backup made by a newer version of the app than this one."""
        known = set(
            MigrationLoader(connections[database], ignore_no_migrations=True).disk_migrations
        )
        unknown = sorted(
            f"{app}.{name}"
            for app, names in document["migrations"].items()
            for name in names
            if (app, name) not in known
        )
        if unknown:
            raise CommandError(
                _(
                    "This backup comes from a newer version of the application (unknown "
                    "migrations: %(names)s). Restore it with that version."
                )
                % {"names": ", ".join(unknown[:5])}
            )

    def check_empty(self, database):
        filled = [
            f"{model._meta.verbose_name_plural} ({count})"
            for model, _nfk, _npk in backed_up_models()
            if model._meta.label_lower not in CREATED_BY_MIGRATIONS
            and (count := model._base_manager.using(database).count())
        ]
        if filled:
            raise CommandError(
                _(
                    "The database is not empty; restoring would mix two sets of data. Restore "
                    "into a new database (or empty this one with `manage.py flush`). Already "
                    "present: %(tables)s."
                )
                % {"tables": ", ".join(filled[:6])}
            )

    def check_counts(self, document, database):
        for model, _nfk, _npk in backed_up_models():
            label = model._meta.label_lower
            expected = document["counts"].get(label, 0)
            if label in CREATED_BY_MIGRATIONS:
                continue
            found = model._base_manager.using(database).count()
            if found != expected:
                raise CommandError(
                    _("Restore cancelled: %(label)s has %(found)s rows instead of %(expected)s.")
                    % {"label": label, "found": found, "expected": expected}
                )

    def check_files(self, document):
        """Compare the evidence files present under MEDIA_ROOT with the backup's index."""
        problems = []
        entries = [entry for entry in document["evidence_files"] if not entry["missing"]]
        for entry in entries:
            try:
                size, sha256 = file_digest(entry["name"])
            except FileNotFoundError:
                problems.append(_("missing: %(name)s") % {"name": entry["name"]})
                continue
            if (size, sha256) != (entry["size"], entry["sha256"]):
                problems.append(_("different content: %(name)s") % {"name": entry["name"]})
        if problems:
            self.stderr.write(
                _(
                    "%(count)s of %(total)s evidence files do not match the backup; copy the "
                    "MEDIA_ROOT folder saved with it:"
                )
                % {"count": len(problems), "total": len(entries)}
            )
            for problem in problems:
                self.stderr.write(f"  {problem}")
            # The data is restored, the files are not: exit non-zero, naming them.
            raise CommandError(
                _(
                    "Restore incomplete: the database is restored, but %(count)s evidence "
                    "files are missing or different (%(names)s). Copy them from the MEDIA_ROOT "
                    "folder saved with the backup."
                )
                % {"count": len(problems), "names": "; ".join(problems)}
            )
        else:
            self.stdout.write(
                _("Evidence files: %(count)s checked, all identical to the backup.")
                % {"count": len(entries)}
            )
