"""The one answer of every export link: the file at once when small, else the offer to
prepare it in the background (a POST), then the export's own page.

Called by the views that offer an export (values, board report, plan workbook) after their
own permission checks.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from indicators.exports.services import export_request
from indicators.models import PreparedExportKind


def is_small(rows_total) -> bool:
    """Exports up to EXPORT_STREAM_MAX_ROWS rows are written inside the request."""
    return rows_total <= settings.EXPORT_STREAM_MAX_ROWS


def written_or_refused(request, write, *, back_url):
    """The file `write()` answers at once, or, when the writer refuses it (a text longer than
    a spreadsheet cell holds: ValidationError), back to `back_url` with the reason shown.
    Nothing is cut silently."""
    try:
        return write()
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect(back_url)


def export_offer(request, *, kind, params, rows_total, back_url):
    """GET: the page that offers to prepare the file; POST: ask for it, then follow it."""
    if request.method == "POST":
        export = export_request(
            owner=request.user,
            kind=kind,
            params={**params, "language": get_language()},
            rows_total=rows_total,
        )
        return redirect(export)
    return render(
        request,
        "indicators/export_offer.html",
        {
            "kind_label": PreparedExportKind(kind).label,
            "rows_total": rows_total,
            "threshold": settings.EXPORT_STREAM_MAX_ROWS,
            "keep_hours": settings.EXPORT_KEEP_HOURS,
            "back_url": back_url,
        },
    )
