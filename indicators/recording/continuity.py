"""Continuity between plans: the earlier plans' values of an indicator carried over.

An indicator copied from an earlier plan remembers its source (`carried_over_from`). When an
administrator opts in (`shows_earlier_values`, allowed only where the definitions match), the
indicator's chart shows the earlier values, greyed, before the new plan's.
"""

from dataclasses import dataclass, field

from indicators.models import Indicator, Measurement, ReportingPeriod


@dataclass
class EarlierValues:
    """The earlier plans' side of a carried-over indicator's chart, oldest first.

    `indicators`: the chain of earlier indicators, most recent first; `periods`: their plans'
    periods by start date; `measurements`: {period pk: Measurement} (breakdowns prefetched).
    """

    indicators: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    measurements: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.measurements)


def earlier_values(indicator):
    """The values of the earlier plans that `indicator` continues (empty unless opted in).

    Follows the chain back (2023-2028 ← 2018-2023 ← …) while each step opts in.
    """
    chain = []
    seen = {indicator.pk}
    current = indicator
    while current.shows_earlier_values and current.carried_over_from_id not in {None, *seen}:
        current = Indicator.objects.select_related("result__orientation").get(
            pk=current.carried_over_from_id
        )
        seen.add(current.pk)
        chain.append(current)
    if not chain:
        return EarlierValues()
    plans = {earlier.result.orientation.plan_id for earlier in chain}
    periods = list(
        ReportingPeriod.objects.filter(plan_id__in=plans)
        .select_related("plan")
        .order_by("start_date")
    )
    measurements = {
        measurement.period_id: measurement
        for measurement in Measurement.objects.filter(indicator__in=chain)
        .select_related("period")
        .prefetch_related("breakdowns__category")
        .order_by("period__start_date")
    }
    return EarlierValues(indicators=chain, periods=periods, measurements=measurements)


def earlier_points(indicators):
    """{indicator pk: [(label, value or None)]}: the earlier plans' periods, oldest first, of
    each opted-in indicator of `indicators`, labelled with their plan (« 2018-2023 · 2019-2020 »).

    For a whole board: one query per step back in the chain of plans, then one for the
    periods and one for the values, whatever the number of indicators (none when no indicator
    opts in).
    """
    source_of = {i.pk: i.carried_over_from_id for i in indicators if i.shows_earlier_values}
    source_of = {pk: source for pk, source in source_of.items() if source is not None}
    # chain[pk]: the earlier indicators of `pk`, most recent first, with their plans.
    chain = {pk: [] for pk in source_of}
    wanted = dict(source_of)  # {indicator pk: the earlier indicator to fetch next}
    seen = set(source_of)
    while wanted:
        found = {
            row["pk"]: row
            for row in Indicator.objects.filter(pk__in=set(wanted.values())).values(
                "pk", "carried_over_from_id", "shows_earlier_values", "result__orientation__plan"
            )
        }
        following = {}
        for pk, earlier in wanted.items():
            row = found[earlier]
            chain[pk].append((earlier, row["result__orientation__plan"]))
            seen.add(earlier)
            source = row["carried_over_from_id"]
            if row["shows_earlier_values"] and source is not None and source not in seen:
                following[pk] = source
        wanted = following
    if not chain:
        return {}
    plans = {plan for steps in chain.values() for _, plan in steps}
    periods = list(
        ReportingPeriod.objects.filter(plan_id__in=plans)
        .select_related("plan")
        .order_by("start_date")
    )
    values = {
        (indicator, period): value
        for indicator, period, value in Measurement.objects.filter(
            indicator__in={earlier for steps in chain.values() for earlier, _ in steps}
        ).values_list("indicator_id", "period_id", "value")
    }
    points = {}
    for pk, steps in chain.items():
        indicator_of_plan = {plan: earlier for earlier, plan in steps}
        points[pk] = [
            (
                period.plan.label(period.name),
                values.get((indicator_of_plan[period.plan_id], period.pk)),
            )
            for period in periods
            if period.plan_id in indicator_of_plan
        ]
    return points
