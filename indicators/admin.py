from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.lifecycle.admin import register_plan_tools
from indicators.lifecycle.periods import plan_create_default_periods
from indicators.models import (
    Category,
    Dimension,
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    OutgoingEmail,
    Profile,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    Target,
)
from indicators.recording.guard import period_set_locked
from indicators.targets.services import target_value_problem
from plan.admin import PlanLabelledChoices, PlanLabelledFilter, ResultAdmin, plan_column
from plan.models import Result, StrategicPlan
from plan.roles import STAFF_GROUP


class TargetInlineFormSet(forms.BaseInlineFormSet):
    """Targets are in the indicator's kind: a count, a level of its scale, a percentage…"""

    def clean(self):
        super().clean()
        for form in self.forms:
            value = form.cleaned_data.get("value") if hasattr(form, "cleaned_data") else None
            if value is None or form.cleaned_data.get("DELETE"):
                continue
            problem = target_value_problem(indicator=self.instance, value=value)
            if problem:
                form.add_error("value", problem)


class DefaultPeriodsForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=StrategicPlan.objects.all(),
        help_text=_(
            "One period a year, from 1 April to 31 March, from the plan's start year to its "
            "end year; periods that already exist or would overlap are left alone."
        ),
    )


def responsible_choices(*, current_id=None):
    """Who may be responsible for an indicator: active staff (the Personnel group) and
    administrators (superusers), plus the current responsible, so that editing an indicator
    never drops them silently."""
    staff = Q(is_active=True) & (Q(groups__name=STAFF_GROUP) | Q(is_superuser=True))
    return (
        get_user_model()
        .objects.filter(staff | Q(pk=current_id))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def account_label(user):
    """« Marie Tremblay (marie) », or the user name alone."""
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


class IndicatorAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        responsible = self.fields.get("responsible")
        if responsible is not None:
            responsible.queryset = responsible_choices(current_id=self.instance.responsible_id)
            responsible.label_from_instance = account_label

    def clean(self):
        cleaned = super().clean()
        self.instance.kind = cleaned.get("kind", self.instance.kind)
        for name in ("baseline_value", "end_target_value"):
            problem = target_value_problem(indicator=self.instance, value=cleaned.get(name))
            if problem:
                self.add_error(name, problem)
        return cleaned


class CategoryInline(admin.StackedInline):
    model = Category
    fields = ["name", "order"]
    extra = 0


class IndicatorInline(admin.StackedInline):
    model = Indicator
    fields = ["order", "wording", "kind"]
    extra = 0
    show_change_link = True


class ResultWithIndicatorsAdmin(ResultAdmin):
    """The plan's result admin, with the result's indicators inline."""

    inlines = [*ResultAdmin.inlines, IndicatorInline]


admin.site.unregister(Result)
admin.site.register(Result, ResultWithIndicatorsAdmin)


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "categories__name"]
    inlines = [CategoryInline]


class ScaleLevelInline(admin.StackedInline):
    model = ScaleLevel
    fields = ["value", "label", "description"]
    extra = 0


class TargetInline(PlanLabelledChoices, admin.StackedInline):
    model = Target
    formset = TargetInlineFormSet
    fields = ["period", "value", "comment"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(PlanLabelledChoices, admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = [
        "wording",
        "result",
        "kind",
        "kind_is_proposal",
        "responsible",
        "is_published",
        "story_is_published",
        plan_column("result__orientation__plan"),
    ]
    list_filter = [
        "result__orientation__plan",
        ("result__orientation", PlanLabelledFilter),
        "kind",
        "kind_is_proposal",
        "is_published",
    ]
    search_fields = ["wording", "definition"]
    ordering = ["result__orientation__plan", "result__number", "order"]
    list_select_related = ["result__orientation__plan", "responsible"]
    inlines = [ScaleLevelInline, TargetInline]
    fieldsets = [
        (None, {"fields": ["result", "order", "wording", "definition"]}),
        (
            _("Measure"),
            {
                "fields": [
                    "kind",
                    "kind_is_proposal",
                    "unit",
                    "direction",
                    "dimension",
                    "is_cumulative",
                    "frequency",
                ]
            },
        ),
        (
            _("Collection"),
            {"fields": ["responsible", "responsible_name", "data_source", "method"]},
        ),
        (
            _("Baseline and target"),
            {
                "fields": [
                    "baseline_value",
                    "baseline_period",
                    "baseline_date",
                    "baseline_comment",
                    "end_target_value",
                    "end_target_comment",
                ]
            },
        ),
        (_("Continuity between plans"), {"fields": ["carried_over_from", "shows_earlier_values"]}),
        (_("Plausibility"), {"fields": ["plausibility_factor", "plausible_maximum"]}),
        (_("Public progress page"), {"fields": ["is_published", "story_is_published"]}),
    ]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "start_date", "end_date", "due_on", "is_locked"]
    list_filter = ["plan", "is_locked"]
    ordering = ["plan", "start_date"]
    actions = ["lock_periods", "unlock_periods", "create_default_periods"]
    # Locking goes through the actions (period_set_locked waits for saves in progress).
    readonly_fields = ["is_locked"]
    change_list_template = "indicators/admin_period_change_list.html"

    @admin.display(description=_("values due on"))
    def due_on(self, period):
        return period.due_on

    def get_urls(self):
        return [
            path(
                "periodes-par-defaut/",
                self.admin_site.admin_view(self.default_periods_view),
                name="indicators_reportingperiod_defaults",
            ),
            *super().get_urls(),
        ]

    def default_periods_view(self, request):
        """Create a plan's yearly periods (1 April – 31 March), for a plan without periods."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DefaultPeriodsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            created = plan_create_default_periods(plan=form.cleaned_data["plan"])
            self.message_user(
                request,
                ngettext(
                    "%(count)s period was created.",
                    "%(count)s periods were created.",
                    len(created),
                )
                % {"count": len(created)},
                messages.SUCCESS,
            )
            return redirect("admin:indicators_reportingperiod_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Create the yearly periods of a plan"),
        }
        return TemplateResponse(request, "indicators/admin_default_periods.html", context)

    @admin.action(description=_("Lock the selected periods"), permissions=["change"])
    def lock_periods(self, request, queryset):
        count = self._set_locked(queryset, locked=True, request=request)
        message = ngettext("%(count)s period was locked.", "%(count)s periods were locked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unlock the selected periods"), permissions=["change"])
    def unlock_periods(self, request, queryset):
        count = self._set_locked(queryset, locked=False, request=request)
        message = ngettext(
            "%(count)s period was unlocked.", "%(count)s periods were unlocked.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _set_locked(self, queryset, *, locked, request):
        done = 0
        for period in queryset:
            try:
                period_set_locked(period=period, locked=locked)
            except ValidationError as refused:
                # The plan requires every value validated before a lock.
                for problem in refused.message_dict["period"]:
                    message = gettext("%(category)s: %(problem)s")
                    params = {"category": period, "problem": problem}
                    self.message_user(request, message % params, messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(
        description=_("Create the missing yearly periods of these plans"), permissions=["add"]
    )
    def create_default_periods(self, request, queryset):
        created = []
        for plan in {period.plan for period in queryset.select_related("plan")}:
            created += plan_create_default_periods(plan=plan)
        self.message_user(
            request,
            ngettext(
                "%(count)s period was created.", "%(count)s periods were created.", len(created)
            )
            % {"count": len(created)},
            messages.SUCCESS,
        )


class BreakdownInline(admin.TabularInline):
    model = MeasurementBreakdown
    fields = ["category", "value"]
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "url", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


class RecordedDataAdmin(SimpleHistoryAdmin):
    """Values and strategy states, read-only: they are written only through their pages and
    the import, which check the period's lock, the version and ask a reason for a correction
    (here anyone could pick the author and the date). Deletion is refused in a locked period.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.period.is_locked)


@admin.register(Measurement)
class MeasurementAdmin(PlanLabelledChoices, RecordedDataAdmin):
    list_display = [
        "indicator",
        "period",
        "status",
        "value",
        "updated_by",
        "updated_at",
        plan_column("period__plan"),
    ]
    list_filter = [
        "period__plan",
        ("period", PlanLabelledFilter),
        "status",
        ("indicator__result__orientation", PlanLabelledFilter),
    ]
    search_fields = ["indicator__wording", "comment", "narrative"]
    list_select_related = ["indicator", "period__plan", "updated_by"]
    list_per_page = 100
    inlines = [BreakdownInline, EvidenceInline]
    readonly_fields = ["recorded_by", "recorded_at", "updated_by", "updated_at", "version"]
    history_list_display = ["status", "value", "version", "history_change_reason"]


@admin.register(StrategyProgress)
class StrategyProgressAdmin(PlanLabelledChoices, RecordedDataAdmin):
    list_display = [
        "strategy",
        "period",
        "state",
        "recorded_by",
        "recorded_at",
        plan_column("period__plan"),
    ]
    list_filter = ["period__plan", ("period", PlanLabelledFilter), "state"]
    list_select_related = ["strategy", "period__plan", "recorded_by"]
    readonly_fields = ["strategy", "period", "state", "note", "recorded_by", "recorded_at"]


# --- E-mail: preferences and the record of every message sent ------------------------------


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "language",
        "reminders_enabled",
        "reminder_days_before",
        "board_digest_opt_in",
    ]
    list_filter = ["language", "reminders_enabled", "board_digest_opt_in"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read only: what was sent, when, and the mail server's answer. Deleting a reminder's
    row lets the next run of send_reminders send it again."""

    list_display = ["sent_at", "kind", "address", "period", "sequence", "status", "attempts"]
    list_filter = ["status", "kind", "period"]
    search_fields = ["address", "subject", "reference"]
    list_select_related = ["period"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The plan admin gains the copy and the structure workbook (they need the indicators' models).
register_plan_tools(admin.site)
