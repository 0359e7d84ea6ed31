"""Reads of the validation step: a period's values awaiting validation, with what a
coordinator needs beside each (previous value, target, plausibility, story)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from indicators.models import (
    UNVALIDATED_STATES,
    Measurement,
    MeasurementValidation,
    ReportingPeriod,
    Target,
)
from indicators.recording.selectors import plan_periods
from indicators.rules.periods import previous_period


@dataclass
class ValidationRow:
    """One value of the bulk page."""

    measurement: Measurement
    previous: Measurement | None
    target: Target | None
    own: bool
    # The person may validate it: pending, and not their own unless the plan allows it.
    may_validate: bool = False

    @property
    def indicator(self):
        return self.measurement.indicator

    @property
    def is_pending(self):
        return self.measurement.validation_state == MeasurementValidation.PENDING

    @property
    def story(self):
        """The staff's story of the period, or why it was not measured."""
        return self.measurement.explanation or self.measurement.narrative

    @property
    def plausibility(self):
        """The plausibility check its author confirmed ("" when the value was plausible)."""
        return self.measurement.plausibility_confirmation


def validation_rows(*, period: ReportingPeriod, user) -> list[ValidationRow]:
    """The period's values to validate, then those returned to their authors, in the plan's
    order (four queries: values with their indicators, periods, previous values, targets)."""
    measurements = list(
        Measurement.objects.filter(period=period, validation_state__in=UNVALIDATED_STATES)
        .select_related(
            "indicator__result__orientation", "indicator__dimension", "updated_by", "validated_by"
        )
        .prefetch_related("indicator__levels")
        .order_by("indicator__result__number", "indicator__order")
    )
    indicator_ids = [m.indicator_id for m in measurements]
    before = previous_period(list(plan_periods(period.plan)), period) if measurements else None
    previous = (
        {
            m.indicator_id: m
            for m in Measurement.objects.filter(period=before, indicator_id__in=indicator_ids)
        }
        if before
        else {}
    )
    targets = (
        {
            t.indicator_id: t
            for t in Target.objects.filter(period=period, indicator_id__in=indicator_ids)
        }
        if measurements
        else {}
    )
    rows = [
        ValidationRow(
            measurement=m,
            previous=previous.get(m.indicator_id),
            target=targets.get(m.indicator_id),
            own=m.updated_by_id == user.pk,
            may_validate=m.validation_state == MeasurementValidation.PENDING
            and (m.updated_by_id != user.pk or period.plan.self_validation_allowed),
        )
        for m in measurements
    ]
    rows.sort(key=lambda row: not row.is_pending)
    return rows


def periods_awaiting(*, plan) -> list[tuple[ReportingPeriod, int, int]]:
    """[(period, values to validate, values returned)] of every period of `plan`."""
    periods = plan_periods(plan).annotate(
        pending=Count(
            "measurements",
            filter=Q(measurements__validation_state=MeasurementValidation.PENDING),
        ),
        returned=Count(
            "measurements",
            filter=Q(measurements__validation_state=MeasurementValidation.RETURNED),
        ),
    )
    return [(period, period.pending, period.returned) for period in periods]
