"""TODO docstring."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from indicators.models import Measurement
from indicators.spreadsheets import values_export as exports
from indicators.spreadsheets import values_import as imports
from indicators.spreadsheets.forms import ImportUploadForm
from plan.decorators import current_plan_required

IMPORT_SESSION_KEY = "indicators_import"


@require_safe
@login_required
@permission_required("indicators.view_measurement", raise_exception=True)
@current_plan_required
def measurement_export_csv(request, plan):
    """Every value of the current plan as CSV (semicolons, UTF-8), with French headers."""
    return exports.csv_response(Measurement.objects.of_plan(plan), plan)


@require_safe
@login_required
@permission_required("indicators.view_measurement", raise_exception=True)
@current_plan_required
def measurement_export_xlsx(request, plan):
    """Every value of the current plan as an XLSX workbook, with French headers."""
    return exports.xlsx_response(Measurement.objects.of_plan(plan), plan)


@login_required
@permission_required("indicators.add_measurement", raise_exception=True)
@permission_required("indicators.change_measurement", raise_exception=True)
@current_plan_required
def measurement_import(request, plan):
    """Import values: upload a file, read the preview of every row, then confirm.

    Nothing is written unless every row is valid; all rows are written in one transaction.
    """
    upload_form = ImportUploadForm()
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored or stored.get("token") != request.POST.get("token"):
            messages.error(request, _("This import has expired; upload the file again."))
            return redirect("indicators:measurement_import")
        preview = imports.measurements_import(
            rows=stored["rows"],
            plan=plan,
            user=request.user,
            dry_run=False,
            versions=stored.get("versions", {}),
        )
        if preview.is_valid:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request,
                ngettext(
                    "%(count)s value was imported.",
                    "%(count)s values were imported.",
                    preview.written,
                )
                % {"count": preview.written},
            )
            return redirect("indicators:measurement_todo")
        preview.file_name = stored.get("name", "")
        preview.token = stored["token"]
    elif request.method == "POST":
        upload_form = ImportUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            uploaded = upload_form.cleaned_data["file"]
            try:
                rows = imports.read_rows(uploaded)
            except ValidationError as error:
                upload_form.add_error("file", error)
            else:
                preview = imports.measurements_import(
                    rows=rows, plan=plan, user=request.user, dry_run=True
                )
                preview.file_name = uploaded.name
                preview.token = uuid.uuid4().hex
                request.session[IMPORT_SESSION_KEY] = {
                    "token": preview.token,
                    "rows": rows,
                    "versions": preview.versions,
                    "name": uploaded.name,
                }
    return render(
        request,
        "indicators/measurement_import.html",
        {"plan": plan, "form": upload_form, "preview": preview},
    )
