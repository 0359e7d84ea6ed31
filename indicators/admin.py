from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import (
    Category,
    Dimension,
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    Target,
)


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ["name", "order"]
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "categories__name"]
    inlines = [CategoryInline]


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    fields = ["value", "label", "description"]
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["period", "value", "comment"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["wording", "result", "kind", "kind_is_proposal", "responsible"]
    list_filter = ["result__orientation__plan", "result__orientation", "kind", "kind_is_proposal"]
    search_fields = ["wording", "definition"]
    ordering = ["result__orientation__plan", "result__number", "order"]
    list_select_related = ["result__orientation__plan", "responsible"]
    autocomplete_fields = ["dimension"]
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
        (_("Collection"), {"fields": ["responsible", "data_source", "method"]}),
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
    ]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "start_date", "end_date", "is_locked"]
    list_filter = ["plan", "is_locked"]
    list_editable = ["is_locked"]
    ordering = ["plan", "start_date"]


class BreakdownInline(admin.TabularInline):
    model = MeasurementBreakdown
    fields = ["category", "value"]
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "url", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "status", "value", "updated_by", "updated_at"]
    list_filter = ["period__plan", "period", "status", "indicator__result__orientation"]
    search_fields = ["indicator__wording", "comment", "narrative"]
    list_select_related = ["indicator", "period", "updated_by"]
    list_per_page = 100
    inlines = [BreakdownInline, EvidenceInline]
    readonly_fields = ["recorded_by", "recorded_at", "updated_by", "updated_at", "version"]


@admin.register(StrategyProgress)
class StrategyProgressAdmin(SimpleHistoryAdmin):
    list_display = ["strategy", "period", "state", "recorded_by", "recorded_at"]
    list_filter = ["period__plan", "period", "state"]
    list_select_related = ["strategy", "period", "recorded_by"]
