"""Reads of prepared exports: what the person who asked sees, and which file they may have."""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.exports.building import REFUSED, stale_before
from indicators.exports.registry import kind_spec
from indicators.models import PreparedExport, PreparedExportStatus

# A request still waiting after this long: the worker is probably not running; say so.
WAITING_WARN = datetime.timedelta(seconds=30)


@dataclass(frozen=True)
class ExportState:
    status: str  # a PreparedExportStatus value, FAILED also for a worker that stopped
    progress: str  # « 12 000 lignes sur 57 000 »
    percent: int
    message: str
    finished: bool

    @property
    def is_ready(self):
        return self.status == PreparedExportStatus.READY

    @property
    def is_failed(self):
        return self.status == PreparedExportStatus.FAILED


def _progress(export):
    total = max(export.rows_total, export.rows_done)
    text = ngettext("%(done)s row of %(total)s", "%(done)s rows of %(total)s", export.rows_done) % {
        "done": number_format(export.rows_done, force_grouping=True),
        "total": number_format(total, force_grouping=True),
    }
    percent = int(100 * export.rows_done / total) if total else 0
    return text, percent


def _message(export, status):
    if status == PreparedExportStatus.READY:
        return _("The file is ready.")
    if status == PreparedExportStatus.FAILED:
        if export.error.startswith(REFUSED):
            return export.error.removeprefix(REFUSED)
        if export.status == PreparedExportStatus.RUNNING or "worker stopped" in export.error:
            return _(
                "The background worker stopped while preparing this file. Ask for the "
                "export again; if this happens again, tell the site's administrator."
            )
        return _("The file could not be prepared. Ask for the export again.")
    if timezone.now() - export.created_at > WAITING_WARN and status == PreparedExportStatus.WAITING:
        return _(
            "The preparation has not started yet: the background worker seems to be stopped. "
            "The file will be prepared as soon as it runs again; tell the site's administrator."
        )
    return _("The file is being prepared. This page refreshes by itself.")


def export_state(export: PreparedExport) -> ExportState:
    """What the page shows: a running export whose worker went silent is shown as failed."""
    status = export.status
    if status == PreparedExportStatus.RUNNING and (
        export.heartbeat_at is None or export.heartbeat_at < stale_before()
    ):
        status = PreparedExportStatus.FAILED
    progress, percent = _progress(export)
    if status == PreparedExportStatus.READY:
        percent = 100
    return ExportState(
        status=status,
        progress=progress,
        percent=percent,
        message=_message(export, status),
        finished=status in (PreparedExportStatus.READY, PreparedExportStatus.FAILED),
    )


def export_of(user, pk) -> PreparedExport:
    """The export `pk` if `user` asked for it and still holds its permission; else 404 (an
    export of someone else is not even said to exist)."""
    export = PreparedExport.objects.filter(pk=pk, owner=user).first()
    if export is None or not user.has_perm(kind_spec(export.kind).permission):
        raise Http404
    return export


def exports_of(user):
    """The person's exports still kept, newest first."""
    return PreparedExport.objects.filter(owner=user).order_by("-created_at", "-pk")


def is_downloadable(export: PreparedExport) -> bool:
    return (
        export.status == PreparedExportStatus.READY
        and bool(export.file)
        and export.expires_at is not None
        and export.expires_at > timezone.now()
    )
