from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from plan.models import (
    OrganisationalValue,
    Orientation,
    Result,
    ResultItem,
    StrategicPlan,
    Strategy,
    StrategyItem,
)


class OrientationInline(admin.TabularInline):
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
    list_display = ["title", "start_year", "end_year", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["title", "organisation"]
    inlines = [OrientationInline, OrganisationalValueInline]
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
        (_("Dashboard thresholds"), {"fields": ["on_track_threshold", "watch_threshold"]}),
    ]


class ResultInline(admin.StackedInline):
    model = Result
    fields = ["number", "statement"]
    extra = 0
    show_change_link = True


class StrategyInline(admin.StackedInline):
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


class ResultItemInline(admin.TabularInline):
    model = ResultItem
    fields = ["letter", "text"]
    extra = 0


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["__str__", "statement", "orientation"]
    list_filter = ["orientation__plan", "orientation"]
    search_fields = ["statement"]
    ordering = ["orientation__plan", "number"]
    list_select_related = ["orientation__plan"]
    # The indicators app adds its inline (plan imports no other project app).
    inlines = [ResultItemInline]


class StrategyItemInline(admin.TabularInline):
    model = StrategyItem
    fields = ["letter", "text"]
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["text", "orientation", "order"]
    list_filter = ["orientation__plan", "orientation"]
    search_fields = ["text"]
    ordering = ["orientation__plan", "orientation__number", "order"]
    list_select_related = ["orientation__plan"]
    filter_horizontal = ["results"]
    inlines = [StrategyItemInline]
