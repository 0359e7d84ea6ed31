"""The pages of prepared exports: follow one's progress, download it, list one's own."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from indicators.exports import selectors
from indicators.exports.registry import kind_spec

# Seconds between two looks of the page's script at the export's state.
POLL_SECONDS = 2


@require_safe
@login_required
def export_detail(request, pk):
    """One export's progress (« 12 000 rows of 57 000 »), then its download link.

    A small script (static/js/export_progress.js) asks export_status every POLL_SECONDS and
    updates the page; without it, the « Refresh » link does the same by hand.
    """
    export = selectors.export_of(request.user, pk)
    return render(
        request,
        "indicators/export_detail.html",
        {
            "export": export,
            "state": selectors.export_state(export),
            "downloadable": selectors.is_downloadable(export),
            "poll_seconds": POLL_SECONDS,
        },
    )


@require_safe
@login_required
def export_status(request, pk):
    """The export's state as JSON, for the page's script."""
    export = selectors.export_of(request.user, pk)
    state = selectors.export_state(export)
    return JsonResponse(
        {
            "status": state.status,
            "progress": state.progress,
            "percent": state.percent,
            "message": state.message,
            "finished": state.finished,
            "download_url": reverse("indicators:export_download", args=[export.pk])
            if selectors.is_downloadable(export)
            else "",
        }
    )


@require_safe
@login_required
def export_download(request, pk):
    """The file, read through the storage API, to the person who asked only, until it
    expires."""
    export = selectors.export_of(request.user, pk)
    if not selectors.is_downloadable(export):
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file_name,
        content_type=kind_spec(export.kind).content_type,
    )


@require_safe
@login_required
def export_list(request):
    """The person's own exports still kept, newest first."""
    exports = Paginator(selectors.exports_of(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/export_list.html",
        {"exports": exports, "rows": [(e, selectors.export_state(e)) for e in exports]},
    )
