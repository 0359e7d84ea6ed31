"""The API's read-only endpoints: one ViewSet per resource, GET only.

Each declares what it reads (`base_queryset`, from the reader's scope), the permissions that
reading needs, its filters (?plan=, ?period=, ?indicator=), a stable order and its CSV
columns. Pagination: ?page= and ?page_size= (JSON); ?format=csv gives every row at once.
"""

from django.db.models import Prefetch
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, pagination, viewsets
from rest_framework.response import Response

from indicators.api import serializers
from indicators.api.renderers import joined
from indicators.api.scope import Scope
from indicators.api.statuses import status_rows
from indicators.models import Category, MeasurementValidation
from indicators.spreadsheets.writer import csv_cell

# What each query-string filter means, per resource: {parameter: ORM lookup}.
PLAN, PERIOD, INDICATOR = "plan", "period", "indicator"
FILTER_WORDS = {
    PLAN: gettext_lazy("Only this plan (its id)."),
    PERIOD: gettext_lazy("Only this reporting period (its id)."),
    INDICATOR: gettext_lazy("Only this indicator (its id)."),
}


class Pages(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def filter_parameters(names):
    return [OpenApiParameter(name, int, description=str(FILTER_WORDS[name])) for name in names]


def query_id(request, name):
    """The id a filter names, None when absent; a French 400 when it is not a number."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    if not raw.isdigit():
        raise exceptions.ValidationError(
            {name: [_("Give a number (the id), not “%(value)s”.") % {"value": raw[:50]}]}
        )
    return int(raw)


class ApiViewSet(viewsets.GenericViewSet):
    """What every endpoint shares: the reader's scope, pages (none in CSV), private answers."""

    pagination_class = Pages
    required_permissions = ()
    csv_name = "api"
    csv_columns = ()

    @cached_property
    def scope(self):
        return Scope(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scope": self.scope}

    def paginate_queryset(self, queryset):
        if self.request.accepted_renderer.format == "csv":
            return None
        return super().paginate_queryset(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # What a token reads is its owner's: never kept by a shared cache.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if request.user.is_authenticated:
            add_never_cache_headers(response)  # no-store, private
        return response


class ReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ApiViewSet):
    """A resource read through the reader's scope, filtered, in a stable order."""

    filters = {}
    ordering = ("pk",)

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        for name, lookup in self.filters.items():
            wanted = query_id(self.request, name)
            if wanted is not None:
                queryset = queryset.filter(**{lookup: wanted})
        return queryset.order_by(*self.ordering)


def _filtered(*names):
    return extend_schema_view(list=extend_schema(parameters=filter_parameters(names)))


def _number(value):
    return csv_cell(value)


def _yes_no(value):
    return _("yes") if value else _("no")


@_filtered(PLAN)
class PlanViewSet(ReadOnlyViewSet):
    """The strategic plans the reader may read."""

    serializer_class = serializers.PlanSerializer
    required_permissions = ("plan.view_strategicplan",)
    filters = {PLAN: "pk"}
    ordering = ("-start_year", "pk")
    csv_name = "plans"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("years", gettext_lazy("Years"), None),
        ("title", gettext_lazy("Title"), None),
        ("is_current", gettext_lazy("Current plan"), _yes_no),
        ("is_closed", gettext_lazy("Closed"), _yes_no),
    )

    def base_queryset(self):
        return self.scope.plans()


@_filtered(PLAN)
class OrientationViewSet(ReadOnlyViewSet):
    serializer_class = serializers.OrientationSerializer
    required_permissions = ("plan.view_orientation",)
    filters = {PLAN: "plan_id"}
    ordering = ("plan_id", "number", "pk")
    csv_name = "orientations"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("plan", gettext_lazy("Plan"), None),
        ("number", gettext_lazy("Number"), None),
        ("title", gettext_lazy("Title"), None),
    )

    def base_queryset(self):
        return self.scope.orientations()


def _sub_items(items):
    return joined(items, lambda item: f"{item['letter']}) {item['text']}")


@_filtered(PLAN)
class ResultViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ResultSerializer
    required_permissions = ("plan.view_result",)
    filters = {PLAN: "orientation__plan_id"}
    ordering = ("orientation__plan_id", "number", "pk")
    csv_name = "resultats"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("plan", gettext_lazy("Plan"), None),
        ("orientation", gettext_lazy("Orientation"), None),
        ("number", gettext_lazy("Number"), None),
        ("statement", gettext_lazy("Statement"), None),
        ("items", gettext_lazy("Sub-items"), _sub_items),
    )

    def base_queryset(self):
        return self.scope.results().select_related("orientation").prefetch_related("items")


@_filtered(PLAN)
class StrategyViewSet(ReadOnlyViewSet):
    serializer_class = serializers.StrategySerializer
    required_permissions = ("plan.view_strategy",)
    filters = {PLAN: "orientation__plan_id"}
    ordering = ("orientation__plan_id", "orientation__number", "order", "pk")
    csv_name = "strategies"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("plan", gettext_lazy("Plan"), None),
        ("orientation", gettext_lazy("Orientation"), None),
        ("order", gettext_lazy("Order"), None),
        ("text", gettext_lazy("Text"), None),
        ("items", gettext_lazy("Sub-items"), _sub_items),
        ("results", gettext_lazy("Results served (ids)"), lambda ids: ", ".join(map(str, ids))),
    )

    def base_queryset(self):
        return (
            self.scope.strategies()
            .select_related("orientation")
            .prefetch_related("items", "results")
        )


def _levels(levels):
    return joined(levels, lambda level: f"{level['value']} – {level['label']}")


def _names(categories):
    return joined(categories, lambda category: category["name"])


@_filtered(PLAN, INDICATOR)
class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators with their definition."""

    serializer_class = serializers.IndicatorSerializer
    required_permissions = ("indicators.view_indicator",)
    filters = {PLAN: "result__orientation__plan_id", INDICATOR: "pk"}
    ordering = ("result__orientation__plan_id", "result__number", "order", "pk")
    csv_name = "indicateurs"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("plan", gettext_lazy("Plan"), None),
        ("code", gettext_lazy("Code"), None),
        ("wording", gettext_lazy("Wording"), None),
        ("kind_label", gettext_lazy("Kind of measure"), None),
        ("unit", gettext_lazy("Unit"), None),
        ("direction_label", gettext_lazy("Direction"), None),
        ("is_cumulative", gettext_lazy("Cumulative"), _yes_no),
        ("baseline_value", gettext_lazy("Baseline value"), None),
        ("end_target_value", gettext_lazy("End-of-plan target"), None),
        ("dimension", gettext_lazy("Breakdown dimension"), None),
        ("levels", gettext_lazy("Levels"), _levels),
        ("categories", gettext_lazy("Categories"), _names),
    )

    def base_queryset(self):
        categories = Category.objects.order_by("order", "name", "pk")
        return (
            self.scope.indicators()
            .select_related("result__orientation", "dimension")
            .prefetch_related("levels", Prefetch("dimension__categories", queryset=categories))
        )


@_filtered(PLAN, PERIOD)
class PeriodViewSet(ReadOnlyViewSet):
    serializer_class = serializers.PeriodSerializer
    required_permissions = ("indicators.view_reportingperiod",)
    filters = {PLAN: "plan_id", PERIOD: "pk"}
    ordering = ("plan_id", "start_date", "pk")
    csv_name = "periodes"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("plan", gettext_lazy("Plan"), None),
        ("name", gettext_lazy("Name"), None),
        ("start_date", gettext_lazy("Start date"), None),
        ("end_date", gettext_lazy("End date"), None),
        ("is_locked", gettext_lazy("Locked"), _yes_no),
    )

    def base_queryset(self):
        return self.scope.periods()


@_filtered(PLAN, PERIOD, INDICATOR)
class TargetViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TargetSerializer
    required_permissions = ("indicators.view_target",)
    filters = {
        PLAN: "indicator__result__orientation__plan_id",
        PERIOD: "period_id",
        INDICATOR: "indicator_id",
    }
    ordering = ("indicator_id", "period__start_date", "pk")
    csv_name = "cibles"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("indicator", gettext_lazy("Indicator"), None),
        ("period", gettext_lazy("Period"), None),
        ("value", gettext_lazy("Target"), None),
    )

    def base_queryset(self):
        return self.scope.targets()


def _minutes(moment):
    """« 2025-03-15 17:44 » (local time) from the JSON's ISO text, as Excel reads a date."""
    return moment[:16].replace("T", " ") if moment else ""


def _breakdown(items):
    return joined(items, lambda item: f"{item['category_name']} : {_number(item['value'])}")


def _validation(state):
    """« à valider », « validée », « retournée »; empty for a value recorded without the step."""
    if not state or state == MeasurementValidation.NOT_REQUIRED:
        return ""
    return str(MeasurementValidation(state).label)


@_filtered(PLAN, PERIOD, INDICATOR)
class ValueViewSet(ReadOnlyViewSet):
    """Recorded values with their breakdown, story and « non mesuré » reason."""

    serializer_class = serializers.ValueSerializer
    required_permissions = ("indicators.view_measurement", "indicators.view_measurementbreakdown")
    filters = {
        PLAN: "indicator__result__orientation__plan_id",
        PERIOD: "period_id",
        INDICATOR: "indicator_id",
    }
    ordering = ("indicator_id", "period__start_date", "pk")
    csv_name = "valeurs"
    csv_columns = (
        ("id", gettext_lazy("Id"), None),
        ("indicator", gettext_lazy("Indicator"), None),
        ("indicator_code", gettext_lazy("Code"), None),
        ("period", gettext_lazy("Period"), None),
        ("status_label", gettext_lazy("Status"), None),
        ("value", gettext_lazy("Value"), None),
        ("breakdown", gettext_lazy("Breakdown"), _breakdown),
        ("story", gettext_lazy("Story"), None),
        ("explanation", gettext_lazy("Why not measured"), None),
        ("validation_state", gettext_lazy("Validation"), _validation),
        ("updated_at", gettext_lazy("Last changed at"), _minutes),
    )

    def base_queryset(self):
        return self.scope.measurements().select_related("indicator__result")

    def get_serializer(self, *args, **kwargs):
        """The serializer, with the breakdowns of the values it shows read in one query."""
        if args:
            shown = args[0] if kwargs.get("many") else [args[0]]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "breakdowns": serializers.breakdowns_by_value([value.pk for value in shown]),
            }
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(list=extend_schema(parameters=filter_parameters([PLAN, PERIOD, INDICATOR])))
class StatusViewSet(ApiViewSet):
    """Each indicator's status per period, as the board's dashboard shows it."""

    serializer_class = serializers.StatusSerializer
    pagination_class = Pages
    required_permissions = (
        "plan.view_strategicplan",
        "indicators.view_measurement",
        "indicators.view_target",
    )
    csv_name = "statuts"
    csv_columns = (
        ("plan", gettext_lazy("Plan"), None),
        ("indicator", gettext_lazy("Indicator"), None),
        ("indicator_code", gettext_lazy("Code"), None),
        ("period", gettext_lazy("Period"), None),
        ("status_label", gettext_lazy("Status"), None),
        ("value", gettext_lazy("Value"), None),
        ("target", gettext_lazy("Target"), None),
        ("percent", gettext_lazy("Share of the way to the target (%)"), None),
        ("value_period", gettext_lazy("Period of the value"), None),
    )

    def list(self, request):
        scope = self.scope
        plans = scope.plans().order_by("-start_year", "pk")
        plan_id = query_id(request, PLAN)
        if plan_id is not None:
            plans = plans.filter(pk=plan_id)
        rows = status_rows(
            scope=scope,
            plans=plans,
            period_id=query_id(request, PERIOD),
            indicator_id=query_id(request, INDICATOR),
        )
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(self.get_serializer(rows, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
