"""The values' files: exports (CSV, XLSX) and the import, previewed then confirmed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from indicators.exports.pages import export_offer, is_small, written_or_refused
from indicators.models import Measurement, PreparedExportKind
from indicators.recording.permissions import record_required
from indicators.spreadsheets import values_export as exports
from indicators.spreadsheets import values_import as imports
from indicators.spreadsheets.forms import ImportUploadForm
from indicators.spreadsheets.preview import PreviewRefused, PreviewSession
from plan.decorators import current_plan_required

VALUES_PREVIEW = PreviewSession("indicators_import")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required("indicators.view_measurement", raise_exception=True)
@current_plan_required
def measurement_export_csv(request, plan):
    """Every value of the current plan as CSV (semicolons, UTF-8), with French headers:
    streamed at once when small, else prepared by the task worker."""
    return _export(request, plan, PreparedExportKind.VALUES_CSV, exports.csv_response)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required("indicators.view_measurement", raise_exception=True)
@current_plan_required
def measurement_export_xlsx(request, plan):
    """Every value of the current plan as an XLSX workbook, with French headers: written at
    once when small, else prepared by the task worker."""
    return _export(request, plan, PreparedExportKind.VALUES_XLSX, exports.xlsx_response)


def _export(request, plan, kind, respond):
    measurements = Measurement.objects.of_plan(plan)
    rows_total = exports.row_count(measurements)
    back_url = reverse("indicators:measurement_todo")
    if request.method != "POST" and is_small(rows_total):
        return written_or_refused(request, lambda: respond(measurements, plan), back_url=back_url)
    return export_offer(
        request, kind=kind, params={"plan": plan.pk}, rows_total=rows_total, back_url=back_url
    )


@login_required
@record_required
@current_plan_required
def measurement_import(request, plan):
    """Import values: upload a file, read the preview of every row, then confirm.

    The preview writes nothing; on confirmation every row is written in one transaction, or
    none when a single row is wrong.
    """
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request, plan)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    preview = _import_preview(request, plan, form) if form.is_valid() else None
    return _import_page(request, plan, form, preview)


def _import_page(request, plan, form, preview):
    return render(
        request,
        "indicators/measurement_import.html",
        {"plan": plan, "form": form, "preview": preview},
    )


def _import_preview(request, plan, form):
    """Read the file and check every row (nothing written); keep its rows for confirmation."""
    uploaded = form.cleaned_data["file"]
    try:
        rows = imports.read_rows(uploaded)
    except ValidationError as error:
        form.add_error("file", error)
        return None
    preview = imports.measurements_import(rows=rows, plan=plan, user=request.user, dry_run=True)
    preview.file_name = uploaded.name
    preview.token = VALUES_PREVIEW.store(
        request, {"rows": rows, "versions": preview.versions, "name": uploaded.name}
    )
    return preview


def _import_confirm(request, plan):
    """Write the previewed rows, unless a value changed since the preview."""
    try:
        stored = VALUES_PREVIEW.load(request)
    except PreviewRefused as refused:
        messages.error(request, str(refused))
        return redirect("indicators:measurement_import")
    done = imports.measurements_import(
        rows=stored["rows"],
        plan=plan,
        user=request.user,
        dry_run=False,
        versions=stored["versions"],
    )
    if not done.is_valid:
        done.file_name = stored["name"]
        return _import_page(request, plan, ImportUploadForm(), done)
    VALUES_PREVIEW.drop(request)
    messages.success(
        request,
        ngettext("%(count)s value was imported.", "%(count)s values were imported.", done.written)
        % {"count": done.written},
    )
    return redirect("indicators:measurement_todo")
