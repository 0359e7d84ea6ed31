"""The public reads: only what the organisation published, for the public pages and the API.

Publication (set in the admin): a plan is published or not (never a draft, even if ticked);
each indicator is published or not, and so is its story (the narrative of a period, or why
it was not measured); the plan may publish its locked periods only. Every function below
applies those rules in the database, from the plan's id (a stale or unpublished plan object
gives nothing), and returns plain data: never a comment, a piece of evidence, a person's
name or e-mail, an unpublished indicator, value or story, a draft plan, or a period the plan
keeps private.

`published_measurements` is the one rule of which recorded values are public; everything
else that shows a value reads through it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from indicators.board.status import Assessment, Status, Thresholds, assess
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

# --- Plans ----------------------------------------------------------------------------------


def published_plans() -> QuerySet[StrategicPlan]:
    """The plans on the public side: ticked « published » and adopted (never a draft)."""
    return StrategicPlan.objects.adopted().filter(is_published=True)


def published_plan(years: str | None = None) -> StrategicPlan | None:
    """The published plan of `years` (« 2018-2023 »); without years, the current plan if it
    is published, else the newest published plan. None when there is none."""
    plans = published_plans()
    if years is not None:
        start, _, end = years.partition("-")
        if not (start.isdigit() and end.isdigit()):
            return None
        return plans.filter(start_year=int(start), end_year=int(end)).first()
    return plans.filter(is_current=True).first() or plans.first()


def _published(plan) -> QuerySet[StrategicPlan]:
    """`plan` as a one-row queryset if it is published now (re-read from the database)."""
    return published_plans().filter(pk=plan.pk)


def published_structure(plan) -> list[Orientation]:
    """The plan's orientations with their results (and lettered items) and strategies (items
    and results served): the plan's own words, public once the plan is published. Indicators
    are not prefetched: read them through `published_indicators`."""
    return list(
        Orientation.objects.filter(plan__in=_published(plan))
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "results", queryset=Result.objects.order_by("number").prefetch_related("items")
            ),
            Prefetch(
                "strategies",
                queryset=Strategy.objects.order_by("order").prefetch_related("items", "results"),
            ),
        )
    )


# --- Indicators and periods -------------------------------------------------------------------

# The fields of an indicator that may be shown publicly (never `responsible`, the comments,
# the data source or the collection method: they can name people or hold internal notes).
PUBLIC_INDICATOR_FIELDS = (
    "id",
    "result_id",
    "order",
    "wording",
    "definition",
    "kind",
    "unit",
    "direction",
    "dimension_id",
    "is_cumulative",
    "frequency",
    "baseline_value",
    "end_target_value",
)


def published_indicators(plan) -> QuerySet[Indicator]:
    """The published indicators of `plan` (none unless the plan is published), in plan order.
    Show only PUBLIC_INDICATOR_FIELDS of them."""
    return (
        Indicator.objects.filter(is_published=True, result__orientation__plan__in=_published(plan))
        .select_related("result__orientation", "dimension")
        .order_by("result__number", "order")
    )


def public_periods(plan) -> QuerySet[ReportingPeriod]:
    """The periods of `plan` whose values and targets are public: all of them, or the locked
    ones only when the plan says so (none unless the plan is published)."""
    return (
        ReportingPeriod.objects.filter(plan__in=_published(plan))
        .filter(Q(is_locked=True) | Q(plan__publishes_locked_periods_only=False))
        .order_by("start_date")
    )


# --- Values ----------------------------------------------------------------------------------


def published_measurements(plan) -> QuerySet[Measurement]:
    """THE rule of which recorded values are public: those of a published indicator of a
    published plan, in a public period, and not awaiting validation (« à valider » or
    « retournée », when the plan has the validation step). Read them through
    `published_values` (never show a Measurement whole: it holds the comment and who recorded
    it)."""
    return Measurement.objects.publishable().filter(
        indicator__in=published_indicators(plan).order_by(),
        period__in=public_periods(plan).order_by(),
    )


@dataclass(frozen=True, slots=True)
class PublicBreakdown:
    category_id: int
    category: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class PublicValue:
    """A public value: the story (`narrative`, or `explanation` when not measured) is empty
    unless the indicator's story is published; `has_narrative` only says whether staff wrote
    one (the status rule of a qualitative indicator needs it, never its words)."""

    pk: int
    indicator_id: int
    period_id: int
    status: str
    value: Decimal | None
    narrative: str
    explanation: str
    has_narrative: bool
    updated_at: datetime
    breakdowns: tuple[PublicBreakdown, ...] = ()

    @property
    def is_not_measured(self):
        return self.status == MeasurementStatus.NOT_MEASURED

    @property
    def story(self):
        """The public story of the period: why it was not measured, or the narrative."""
        return (self.explanation if self.is_not_measured else self.narrative).strip()


_VALUE_FIELDS = (
    "pk",
    "indicator_id",
    "period_id",
    "status",
    "value",
    "narrative",
    "explanation",
    "updated_at",
    "indicator__story_is_published",
)


def published_values(plan, *, period=None, indicator=None) -> list[PublicValue]:
    """The public values of `plan` (optionally of one period and/or one indicator), ordered
    by indicator then period, with their breakdowns: 2 queries."""
    measurements = published_measurements(plan)
    if period is not None:
        measurements = measurements.filter(period=period)
    if indicator is not None:
        measurements = measurements.filter(indicator=indicator)
    breakdowns = {}
    rows = MeasurementBreakdown.objects.filter(measurement__in=measurements.order_by())
    for row in rows.order_by("category__order", "category__name").values_list(
        "measurement_id", "category_id", "category__name", "value"
    ):
        breakdowns.setdefault(row[0], []).append(PublicBreakdown(*row[1:]))
    ordered = measurements.order_by(
        "indicator__result__number", "indicator__order", "period__start_date"
    )
    return [_public_value(row, breakdowns) for row in ordered.values_list(*_VALUE_FIELDS)]


def _public_value(row, breakdowns):
    pk, indicator_id, period_id, status, value, narrative, explanation, updated_at, story = row
    return PublicValue(
        pk=pk,
        indicator_id=indicator_id,
        period_id=period_id,
        status=status,
        value=value,
        narrative=narrative if story else "",
        explanation=explanation if story else "",
        has_narrative=bool(narrative.strip()),
        updated_at=updated_at,
        breakdowns=tuple(breakdowns.get(pk, ())),
    )


def public_targets(plan) -> dict[int, dict[int, Decimal]]:
    """{indicator pk: {period pk: target}} of the published indicators, public periods only."""
    targets = {}
    rows = Target.objects.filter(
        indicator__in=published_indicators(plan).order_by(),
        period__in=public_periods(plan).order_by(),
    )
    for indicator_id, period_id, value in rows.order_by().values_list(
        "indicator_id", "period_id", "value"
    ):
        targets.setdefault(indicator_id, {})[period_id] = value
    return targets


# --- The whole public plan, and its statuses -------------------------------------------------


@dataclass
class PublicPlan:
    """Everything public about one plan, read in a fixed number of queries."""

    plan: StrategicPlan
    periods: list
    indicators: list
    # {indicator pk: {period pk: PublicValue}}; {indicator pk: {period pk: target}}
    values: dict = field(default_factory=dict)
    targets: dict = field(default_factory=dict)
    # {indicator pk: [(level, label)]}; {dimension pk: [Category]}
    levels: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)

    def periods_with_data(self):
        return {period_pk for by_period in self.values.values() for period_pk in by_period}

    @property
    def updated_at(self) -> datetime | None:
        """When the latest public value was last changed (« mis à jour le … »)."""
        return max(
            (v.updated_at for by_period in self.values.values() for v in by_period.values()),
            default=None,
        )


def load_public_plan(plan) -> PublicPlan:
    """The public side of `plan` (empty unless it is published): 8 queries."""
    public = PublicPlan(
        plan=plan,
        periods=list(public_periods(plan)),
        indicators=list(published_indicators(plan)),
    )
    for value in published_values(plan):
        public.values.setdefault(value.indicator_id, {})[value.period_id] = value
    public.targets = public_targets(plan)
    pks = [indicator.pk for indicator in public.indicators]
    for level in ScaleLevel.objects.filter(indicator__in=pks).order_by("indicator_id", "value"):
        public.levels.setdefault(level.indicator_id, []).append((level.value, level.label))
    dimensions = {i.dimension_id for i in public.indicators if i.dimension_id}
    for category in Category.objects.filter(dimension__in=dimensions).order_by(
        "dimension_id", "order", "name"
    ):
        public.categories.setdefault(category.dimension_id, []).append(category)
    return public


@dataclass(frozen=True, slots=True)
class _RuleInput:
    """What the board's status rule reads of a value; the narrative only as « one exists »."""

    status: str
    value: Decimal | None
    narrative: str


def public_assessments(
    public: PublicPlan, period, *, today: date | None = None
) -> dict[int, Assessment]:
    """{indicator pk: Assessment} for `period`, by the board's own rule (board.status.assess)
    over the public values and periods only; each assessment's `measurement` is a PublicValue.
    """
    today = today or timezone.localdate()
    if period is None or period.pk not in {p.pk for p in public.periods}:
        return {}
    thresholds = Thresholds.of_plan(public.plan)
    assessments = {}
    for indicator in public.indicators:
        values = public.values.get(indicator.pk, {})
        assessment = assess(
            indicator=indicator,
            period=period,
            periods=public.periods,
            measurements={
                pk: _RuleInput(v.status, v.value, "·" if v.has_narrative else "")
                for pk, v in values.items()
            },
            targets=public.targets.get(indicator.pk, {}),
            thresholds=thresholds,
            today=today,
        )
        if assessment.measurement is not None:
            assessment.measurement = values[assessment.period.pk]
        assessments[indicator.pk] = assessment
    return assessments


def missing_assessment() -> Assessment:
    """The assessment of an indicator without any public value."""
    return Assessment(Status.MISSING)
