"""A plan's default reporting periods: one a year, from 1 April to 31 March."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import ReportingPeriod
from plan.models import StrategicPlan


def default_periods(*, plan: StrategicPlan) -> list[ReportingPeriod]:
    """The plan's yearly periods (1 April – 31 March), from its start year to its end year,
    not saved (the plan may not be saved yet either: a workbook's preview)."""
    return [
        ReportingPeriod(
            plan=plan,
            name=f"{year}-{year + 1}",
            start_date=datetime.date(year, 4, 1),
            end_date=datetime.date(year + 1, 3, 31),
        )
        for year in range(plan.start_year, plan.end_year)
    ]


@transaction.atomic
def plan_create_default_periods(*, plan: StrategicPlan) -> list[ReportingPeriod]:
    """Create the plan's yearly periods (1 April – 31 March) that do not exist yet.

    Returns the periods created; periods that would overlap an existing one are skipped.
    """
    created = []
    for period in default_periods(plan=plan):
        try:
            period.full_clean()
        except ValidationError:
            continue
        period.save()
        created.append(period)
    return created
