"""TODO docstring."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import (
    ReportingPeriod,
)
from plan.models import StrategicPlan


@transaction.atomic
def plan_create_default_periods(*, plan: StrategicPlan) -> list[ReportingPeriod]:
    """Create the plan's yearly periods (1 April – 31 March) that do not exist yet.

    Returns the periods created; periods that would overlap an existing one are skipped.
    """
    created = []
    for year in range(plan.start_year, plan.end_year):
        period = ReportingPeriod(
            plan=plan,
            name=f"{year}-{year + 1}",
            start_date=datetime.date(year, 4, 1),
            end_date=datetime.date(year + 1, 3, 31),
        )
        try:
            period.full_clean()
        except ValidationError:
            continue
        period.save()
        created.append(period)
    return created
