"""What each resource shows: fields read by every reader alike (the scope decides which rows).

No person's name or e-mail, no comment, no evidence: the API reads what the board reads of
each object, in plain data. Each serializer lists its fields explicitly.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import (
    Category,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    ReportingPeriod,
    ScaleLevel,
    Target,
)
from plan.models import Orientation, Result, StrategicPlan, Strategy


def _model_attname(model, name):
    """The column name of `model`'s field `name` ("result" → "result_id"), or None when the
    serializer's field is computed (code, levels…)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return getattr(field, "attname", None)


class PlanSerializer(serializers.ModelSerializer):
    years = serializers.CharField(read_only=True)

    class Meta:
        model = StrategicPlan
        fields = [
            "id",
            "years",
            "title",
            "subtitle",
            "organisation",
            "start_year",
            "end_year",
            "is_current",
            "is_closed",
            "mission",
            "vision",
        ]


class OrientationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Orientation
        fields = ["id", "plan", "number", "title"]


class SubItemSerializer(serializers.Serializer):
    letter = serializers.CharField()
    text = serializers.CharField()


class ResultSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="orientation.plan_id", read_only=True)
    items = SubItemSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = ["id", "plan", "orientation", "number", "statement", "items"]


class StrategySerializer(serializers.ModelSerializer):
    """A strategy and its links: the results it serves, in any orientation (« cadre imbriqué »)."""

    plan = serializers.IntegerField(source="orientation.plan_id", read_only=True)
    items = SubItemSerializer(many=True, read_only=True)
    results = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Strategy
        fields = ["id", "plan", "orientation", "order", "text", "items", "results"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleLevel
        fields = ["value", "label", "description"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its definition: kind, unit, direction, baseline, levels, categories."""

    plan = serializers.IntegerField(source="result.orientation.plan_id", read_only=True)
    code = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    direction_label = serializers.CharField(source="get_direction_display", read_only=True)
    dimension = serializers.CharField(
        source="dimension.name", default=None, allow_null=True, read_only=True
    )
    levels = LevelSerializer(many=True, read_only=True)
    categories = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "result",
            "code",
            "order",
            "wording",
            "definition",
            "kind",
            "kind_label",
            "unit",
            "direction",
            "direction_label",
            "is_cumulative",
            "frequency",
            "baseline_value",
            "baseline_date",
            "baseline_comment",
            "end_target_value",
            "dimension",
            "levels",
            "categories",
        ]

    def to_representation(self, instance):
        """Without a token, the fields the public side does not show are left empty."""
        data = super().to_representation(instance)
        scope = self.context["scope"]
        for name in self.Meta.fields:
            attname = _model_attname(Indicator, name)
            if attname is not None and not scope.shows_indicator_field(attname):
                data[name] = "" if isinstance(data[name], str) else None
        return data

    @extend_schema_field(CategorySerializer(many=True))
    def get_categories(self, indicator):
        if indicator.dimension_id is None:
            return []
        return CategorySerializer(indicator.dimension.categories.all(), many=True).data


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "plan", "name", "start_date", "end_date", "is_locked"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "indicator", "period", "value"]


class BreakdownSerializer(serializers.Serializer):
    """One category of a value's breakdown (read as plain rows: breakdowns_by_value)."""

    category = serializers.IntegerField()
    category_name = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


def breakdowns_by_value(measurement_ids):
    """{measurement pk: [{category, category_name, value}]} in the categories' order: one
    query of plain rows (a large plan's values hold tens of thousands of them)."""
    rows = (
        MeasurementBreakdown.objects.filter(measurement_id__in=measurement_ids)
        .order_by("measurement_id", "category__order", "category__name", "pk")
        .values_list("measurement_id", "category_id", "category__name", "value")
    )
    found = {}
    for measurement_id, category, name, value in rows:
        found.setdefault(measurement_id, []).append(
            {"category": category, "category_name": name, "value": value}
        )
    return found


class ValueSerializer(serializers.ModelSerializer):
    """A recorded value: its status, number, breakdown, and its story or « non mesuré » reason
    (the story only where the reader may read it: scope.shows_story)."""

    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    status_label = serializers.SerializerMethodField()
    breakdown = serializers.SerializerMethodField()
    story = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "period",
            "status",
            "status_label",
            "value",
            "breakdown",
            "story",
            "explanation",
            "validation_state",
            "recorded_at",
            "updated_at",
        ]

    def _shown(self, measurement, text):
        return text if self.context["scope"].shows_story(measurement.indicator) else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_label(self, measurement):
        # A plain lookup: DRF inspects a callable source's signature on every row.
        return str(MeasurementStatus(measurement.status).label)

    @extend_schema_field(BreakdownSerializer(many=True))
    def get_breakdown(self, measurement):
        """From the context's `breakdowns` (ValueViewSet reads them for the whole page),
        already plain rows of BreakdownSerializer's shape."""
        return self.context["breakdowns"].get(measurement.pk, [])

    @extend_schema_field(OpenApiTypes.STR)
    def get_story(self, measurement):
        return self._shown(measurement, measurement.narrative)

    @extend_schema_field(OpenApiTypes.STR)
    def get_explanation(self, measurement):
        return self._shown(measurement, measurement.explanation)


class StatusSerializer(serializers.Serializer):
    """An indicator's status for a period, as the board's dashboard shows it."""

    plan = serializers.IntegerField()
    indicator = serializers.IntegerField()
    indicator_code = serializers.CharField()
    period = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    value = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=30, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=30, decimal_places=1, allow_null=True)
    value_period = serializers.IntegerField(
        allow_null=True, help_text="The period the value comes from."
    )
