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
