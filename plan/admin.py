from operator import attrgetter

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plan.models import (
    OrganisationalValue,
    Orientation,
    Result,
    ResultItem,
    StrategicPlan,
    Strategy,
    StrategyItem,
)
from plan.services import plan_set_closed


def name_the_plan(formfield):
    """Make a choice field of plan-bound objects say which plan: « 2018-2023 · Résultat 1 »."""
    model = getattr(getattr(formfield, "queryset", None), "model", None)
    if model is not None and hasattr(model, "PLAN_LOOKUP"):
        formfield.queryset = formfield.queryset.select_related(model.PLAN_LOOKUP)
        formfield.label_from_instance = attrgetter("plan_label")
    return formfield


class PlanLabelledChoices:
    """Admin mixin: every choice list that can span plans names the plan of each choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in getattr(self, "autocomplete_fields", ()):
            return formfield
        return name_the_plan(formfield) if formfield is not None else None

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in getattr(self, "autocomplete_fields", ()):
            return formfield
        return name_the_plan(formfield) if formfield is not None else None


def plan_column(lookup):
    """A list column « Plan » showing the plan reached through `lookup`, sortable.

    Django would head a column "orientation__plan" « Orientation plan ».
    """

    @admin.display(description=_("plan"), ordering=lookup)
    def plan(obj):
        return attrgetter(lookup.replace("__", "."))(obj)

    return plan


class PlanLabelledFilter(admin.RelatedFieldListFilter):
    """A list filter on orientations, results, periods… whose choices name their plan."""

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        queryset = model._default_manager.select_related(model.PLAN_LOOKUP)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, obj.plan_label) for obj in queryset]


class OrientationInline(admin.StackedInline):
    model = Orientation
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


class OrganisationalValueInline(admin.StackedInline):
    model = OrganisationalValue
    fields = ["category", "name", "definition", "order"]
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "end", "is_current", "is_closed", "is_published"]
    list_filter = ["is_current", "is_closed", "is_published"]
    search_fields = ["title", "organisation"]
    inlines = [OrientationInline, OrganisationalValueInline]
    actions = ["close_plans", "reopen_plans"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "subtitle",
                    "organisation",
                    "start_year",
                    "end_year",
                    "is_current",
                    "is_closed",
                ]
            },
        ),
        (
            _("Plan text"),
            {
                "fields": [
                    "mission",
                    "intentions_intro",
                    "intentions",
                    "approach",
                    "vision",
                    "distinctive_strengths",
                    "preamble",
                    "indicators_footnote",
                ]
            },
        ),
        (_("Document"), {"fields": ["document_author", "document_date"]}),
        (
            _("Public progress page"),
            {"fields": ["is_published", "publishes_locked_periods_only"]},
        ),
        (_("Dashboard thresholds"), {"fields": ["on_track_threshold", "watch_threshold"]}),
        (
            _("Validation of values"),
            {
                "fields": [
                    "validation_enabled",
                    "self_validation_allowed",
                    "lock_requires_validation",
                ]
            },
        ),
    ]

    # A year is shown as « 2018 », not as a number with a thousands separator (« 2 018 »).
    @admin.display(description=_("start year"), ordering="start_year")
    def start(self, plan):
        return str(plan.start_year)

    @admin.display(description=_("end year"), ordering="end_year")
    def end(self, plan):
        return str(plan.end_year)

    @admin.action(description=_("Close the selected plans (read-only)"), permissions=["change"])
    def close_plans(self, request, queryset):
        count = self._set_closed(queryset, closed=True)
        message = ngettext("%(count)s plan was closed.", "%(count)s plans were closed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reopen the selected plans"), permissions=["change"])
    def reopen_plans(self, request, queryset):
        count = self._set_closed(queryset, closed=False)
        message = ngettext("%(count)s plan was reopened.", "%(count)s plans were reopened.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _set_closed(self, queryset, *, closed):
        plans = list(queryset)
        for plan in plans:
            plan_set_closed(plan=plan, closed=closed)
        return len(plans)


class ResultInline(admin.StackedInline):
    model = Result
    fields = ["number", "statement"]
    extra = 0
    show_change_link = True


class StrategyInline(PlanLabelledChoices, admin.StackedInline):
    model = Strategy
    fields = ["order", "text", "results"]
    filter_horizontal = ["results"]
    extra = 0
    show_change_link = True


@admin.register(Orientation)
class OrientationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]
    ordering = ["plan", "number"]
    inlines = [ResultInline, StrategyInline]


class ResultItemInline(admin.StackedInline):
    model = ResultItem
    fields = ["letter", "text"]
    extra = 0


@admin.register(Result)
class ResultAdmin(PlanLabelledChoices, admin.ModelAdmin):
    list_display = ["__str__", "statement", "orientation", plan_column("orientation__plan")]
    list_filter = ["orientation__plan", ("orientation", PlanLabelledFilter)]
    search_fields = ["statement"]
    ordering = ["orientation__plan", "number"]
    list_select_related = ["orientation__plan"]
    # The indicators app adds its inline (plan imports no other project app).
    inlines = [ResultItemInline]


class StrategyItemInline(admin.StackedInline):
    model = StrategyItem
    fields = ["letter", "text"]
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(PlanLabelledChoices, admin.ModelAdmin):
    list_display = ["text", "orientation", "order", plan_column("orientation__plan")]
    list_filter = ["orientation__plan", ("orientation", PlanLabelledFilter)]
    search_fields = ["text"]
    ordering = ["orientation__plan", "orientation__number", "order"]
    list_select_related = ["orientation__plan"]
    filter_horizontal = ["results"]
    inlines = [StrategyItemInline]
