"""The worker's side of a prepared export: build the file, report progress, expire old ones.

Runs inside a task (tasks.py), outside any request: each progress report is its own small
UPDATE, seen at once by the page that polls it.
"""

import datetime
import logging
import tempfile
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Q
from django.utils import timezone, translation

from indicators.exports.registry import builder_of
from indicators.models import PreparedExport, PreparedExportStatus

logger = logging.getLogger("tiess.exports")

# Progress is written at most this often (seconds): a heartbeat, without a write per row.
PROGRESS_EVERY = 1.0
# The start of `error` when the builder refused the file (ValidationError): the rest is its
# reason, in the language of the person who asked, shown as is on the export's page.
REFUSED = "refused: "


class Progress:
    """`progress(done, total)`: the builder's report, written to the export's row now and
    then; every write also moves the heartbeat that tells a live worker from a dead one."""

    def __init__(self, export_id):
        self.export_id = export_id
        self.written_at = 0.0

    def __call__(self, done, total=None, *, force=False):
        now = time.monotonic()
        if not force and now - self.written_at < PROGRESS_EVERY:
            return
        self.written_at = now
        fields = {"rows_done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["rows_total"] = total
        PreparedExport.objects.filter(pk=self.export_id).update(**fields)


def _claim(export_id):
    """The export, now marked running; None if another run has it or it is gone."""
    now = timezone.now()
    claimed = PreparedExport.objects.filter(
        pk=export_id, status=PreparedExportStatus.WAITING
    ).update(status=PreparedExportStatus.RUNNING, started_at=now, heartbeat_at=now)
    return PreparedExport.objects.get(pk=export_id) if claimed else None


def export_build(*, export_id) -> str:
    """Write the export's file through its kind's builder, then store it (storage API)."""
    export = _claim(export_id)
    if export is None:
        return "skipped"
    progress = Progress(export_id)
    language = export.params.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language), tempfile.TemporaryFile() as target:
            file_name = builder_of(export.kind)(
                params=export.params, target=target, progress=progress
            )
            target.seek(0)
            export.file.save(file_name, File(target), save=False)
    except ValidationError as refusal:  # e.g. a text longer than a spreadsheet cell holds
        _failed(export_id, REFUSED + " ".join(refusal.messages))
        return "refused"
    except Exception as error:
        logger.exception("Export %s failed.", export_id)
        _failed(export_id, f"{type(error).__name__}: {error}")
        raise
    now = timezone.now()
    PreparedExport.objects.filter(pk=export_id).update(
        status=PreparedExportStatus.READY,
        file=export.file.name,
        file_name=file_name,
        rows_done=max(export.rows_total, progress_done(export_id)),
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    return "ready"


def _failed(export_id, error):
    PreparedExport.objects.filter(pk=export_id).update(
        status=PreparedExportStatus.FAILED,
        error=error[: PreparedExport._meta.get_field("error").max_length],
        finished_at=timezone.now(),
    )


def progress_done(export_id):
    return PreparedExport.objects.filter(pk=export_id).values_list("rows_done", flat=True)[0]


def stale_before():
    """A running export whose last heartbeat is older than this has lost its worker."""
    return timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)


def exports_expire() -> int:
    """Delete the expired exports and their files; mark those whose worker died as failed.

    Run after every build (tasks.py) and by `manage.py expire_exports`. Returns how many
    exports were deleted.
    """
    PreparedExport.objects.filter(
        status=PreparedExportStatus.RUNNING, heartbeat_at__lt=stale_before()
    ).update(
        status=PreparedExportStatus.FAILED,
        error="The worker stopped while writing this file.",
        finished_at=timezone.now(),
    )
    now = timezone.now()
    keep = datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    expired = PreparedExport.objects.filter(
        Q(expires_at__lt=now) | Q(expires_at__isnull=True, created_at__lt=now - keep)
    )
    deleted = 0
    for export in expired.iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    return deleted


def counted(rows, progress, total):
    """Yield `rows`, reporting to `progress` how many went by (out of `total`)."""
    progress(0, total, force=True)
    done = 0
    for done, row in enumerate(rows, start=1):  # noqa: B007 (done is read after the loop)
        yield row
        progress(done, max(total, done))
    progress(done, max(total, done), force=True)
