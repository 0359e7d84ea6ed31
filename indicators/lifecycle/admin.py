"""The plan admin's tools for preparing the next plan: copy a plan, its structure workbook.

They need the indicators' models, so they are added here to the plan's admin (plan imports no
other project app), like the result admin's indicators inline.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.exports.pages import export_offer, is_small, written_or_refused
from indicators.lifecycle.copy import plan_copy
from indicators.lifecycle.workbook import (
    XLSX_CONTENT_TYPE,
    plan_workbook,
    read_workbook,
    workbook_file_name,
    workbook_row_count,
)
from indicators.lifecycle.workbook_import import PLAN_ASKED, plan_import
from indicators.models import PreparedExportKind
from indicators.spreadsheets.preview import PreviewRefused, PreviewSession
from plan.admin import StrategicPlanAdmin
from plan.models import StrategicPlan

PLAN_PREVIEW = PreviewSession("plan_structure_import")


class NewPlanForm(forms.Form):
    """The new plan's title and years (copy and import)."""

    title = forms.CharField(label=gettext_lazy("Title of the new plan"), max_length=200)
    start_year = forms.IntegerField(label=gettext_lazy("Start year"), min_value=1900)
    end_year = forms.IntegerField(label=gettext_lazy("End year"), min_value=1900)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        if StrategicPlan.objects.filter(title=cleaned.get("title")).exists():
            self.add_error("title", _("A plan with this title already exists."))
        if StrategicPlan.objects.filter(start_year=start, end_year=end).exists():
            self.add_error("end_year", _("Another plan already covers these years."))
        return cleaned


class PlanCopyForm(NewPlanForm):
    with_targets = forms.BooleanField(
        label=gettext_lazy("Also copy the targets"),
        required=False,
        help_text=gettext_lazy(
            "The target of the n-th period of the plan goes to the n-th period of the copy."
        ),
    )


class PlanImportForm(NewPlanForm):
    file = forms.FileField(
        label=gettext_lazy("Workbook (XLSX)"),
        help_text=gettext_lazy("Start from the template or from the export of a plan."),
    )

    field_order = ["file", "title", "start_year", "end_year"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not (uploaded.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Choose an XLSX file."))
        return uploaded


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class StrategicPlanToolsAdmin(StrategicPlanAdmin):
    """The plan admin, with copy, structure export and structure import."""

    actions = [*StrategicPlanAdmin.actions, "copy_plan", "export_structure"]
    change_list_template = "indicators/admin_plan_change_list.html"
    change_form_template = "indicators/admin_plan_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/copier/", view(self.copy_view), name="plan_strategicplan_copy"),
            path(
                "modele-structure/",
                view(self.template_view),
                name="plan_strategicplan_structure_template",
            ),
            path(
                "<path:object_id>/structure/",
                view(self.export_view),
                name="plan_strategicplan_structure_export",
            ),
            path(
                "importer-structure/",
                view(self.import_view),
                name="plan_strategicplan_structure_import",
            ),
            *super().get_urls(),
        ]

    # -- Actions --

    def _plan_or_404(self, request, object_id):
        plan = self.get_object(request, unquote(object_id))
        if plan is None:
            raise Http404
        return plan

    def _one_plan(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one plan."), messages.WARNING)
            return None
        return queryset.get()

    @admin.action(
        description=gettext_lazy("Copy the selected plan into a new draft plan"),
        permissions=["add"],
    )
    def copy_plan(self, request, queryset):
        plan = self._one_plan(request, queryset)
        if plan is not None:
            return redirect("admin:plan_strategicplan_copy", plan.pk)
        return None

    @admin.action(
        description=gettext_lazy("Export the structure of the selected plan (XLSX)"),
        permissions=["view"],
    )
    def export_structure(self, request, queryset):
        plan = self._one_plan(request, queryset)
        if plan is None:
            return None
        # The export page writes it, or offers to prepare it, or says why it cannot.
        return redirect("admin:plan_strategicplan_structure_export", plan.pk)

    # -- Views --

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def copy_view(self, request, object_id):
        """Copy a plan (structure and definitions, no values) into a new draft plan."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        source = self._plan_or_404(request, object_id)
        length = source.end_year - source.start_year
        form = PlanCopyForm(
            request.POST or None,
            initial={"start_year": source.end_year, "end_year": source.end_year + length},
        )
        if request.method == "POST" and form.is_valid():
            try:
                copy = plan_copy(source=source, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("“%(source)s” was copied into the draft plan “%(copy)s”.")
                    % {"source": source.title, "copy": copy.title},
                    messages.SUCCESS,
                )
                return redirect("admin:plan_strategicplan_change", copy.pk)
        title = _("Copy the plan “%(plan)s”") % {"plan": source.title}
        return TemplateResponse(
            request,
            "indicators/admin_plan_copy.html",
            self._context(request, title, form=form, source=source),
        )

    def template_view(self, request):
        """The empty structure workbook, with French headers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _xlsx(plan_workbook(), workbook_file_name())

    def export_view(self, request, object_id):
        """A plan's structure in the template's layout."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        plan = self._plan_or_404(request, object_id)
        rows_total = workbook_row_count(plan)
        if request.method == "POST" or not is_small(rows_total):
            return export_offer(
                request,
                kind=PreparedExportKind.PLAN_WORKBOOK,
                params={"plan": plan.pk},
                rows_total=rows_total,
                back_url=reverse("admin:plan_strategicplan_change", args=[plan.pk]),
            )
        return written_or_refused(
            request,
            lambda: _xlsx(plan_workbook(plan), workbook_file_name(plan)),
            back_url=reverse("admin:plan_strategicplan_change", args=[plan.pk]),
        )

    def import_view(self, request):
        """Upload a structure workbook, preview every error, then create the new draft plan.

        The preview writes nothing; the confirmation creates everything, or nothing.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request)
        form = PlanImportForm(request.POST or None, request.FILES or None)
        preview = self._import_preview(request, form) if form.is_valid() else None
        return self._import_page(request, form, preview)

    def _import_page(self, request, form, preview):
        return TemplateResponse(
            request,
            "indicators/admin_plan_import.html",
            self._context(
                request,
                _("Import the structure of a new plan"),
                form=form,
                preview=preview,
                template_url=reverse("admin:plan_strategicplan_structure_template"),
            ),
        )

    def _import_preview(self, request, form):
        """Read and check the workbook (nothing written); keep its rows for confirmation."""
        uploaded = form.cleaned_data["file"]
        plan_fields = {name: form.cleaned_data[name] for name in PLAN_ASKED}
        try:
            rows = read_workbook(uploaded)
        except ValidationError as error:
            form.add_error("file", error)
            return None
        try:
            preview = plan_import(dry_run=True, rows=rows, **plan_fields)
        except ValidationError as error:
            form.add_error(None, error)
            return None
        preview.file_name = uploaded.name
        preview.token = PLAN_PREVIEW.store(
            request, {"rows": rows, "plan": plan_fields, "name": uploaded.name}
        )
        return preview

    def _import_confirm(self, request):
        """Create the previewed plan, unless the workbook no longer holds (names taken…)."""
        try:
            stored = PLAN_PREVIEW.load(request)
        except PreviewRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return redirect("admin:plan_strategicplan_structure_import")
        form = PlanImportForm(initial=stored["plan"])
        try:
            done = plan_import(dry_run=False, rows=stored["rows"], **stored["plan"])
        except ValidationError as error:
            form.add_error(None, error)
            return self._import_page(request, form, None)
        if not done.is_valid:
            done.file_name = stored["name"]
            return self._import_page(request, form, done)
        PLAN_PREVIEW.drop(request)
        self.message_user(
            request,
            _("The draft plan “%(plan)s” was created from the workbook.")
            % {"plan": done.plan.title},
            messages.SUCCESS,
        )
        return redirect("admin:plan_strategicplan_change", done.plan.pk)


def register_plan_tools(site: admin.AdminSite) -> None:
    """Give the plan admin the tools for the next plan (called by indicators/admin.py)."""
    site.unregister(StrategicPlan)
    site.register(StrategicPlan, StrategicPlanToolsAdmin)
