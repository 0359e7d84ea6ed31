"""A small current plan built in a few queries, for tests of the kinds' rules."""

import datetime

from indicators.models import Category, Dimension, Indicator, ReportingPeriod, ScaleLevel
from plan.models import Orientation, Result, StrategicPlan

LEVEL_LABELS = ["Découverte", "Compréhension", "Expérimentation", "Intégration", "Diffusion"]


def make_result() -> Result:
    """Result 1 of orientation 1 of a new current plan (the session's plan stops being current
    for the test: its transaction is rolled back)."""
    StrategicPlan.objects.filter(is_current=True).update(is_current=False)
    plan = StrategicPlan.objects.create(
        title="Plan d'essai", organisation="TIESS", start_year=2040, end_year=2045, is_current=True
    )
    orientation = Orientation.objects.create(plan=plan, number=1, title="Orientation d'essai")
    return Result.objects.create(orientation=orientation, number=1, statement="Résultat d'essai")


def make_period(plan: StrategicPlan, year: int = 2019) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        plan=plan,
        name=f"{year}-{year + 1}",
        start_date=datetime.date(year, 4, 1),
        end_date=datetime.date(year + 1, 3, 31),
    )


def make_indicator(
    result: Result,
    kind: str,
    *,
    order: int = 1,
    unit: str = "",
    levels: int = 0,
    categories: tuple[str, ...] = (),
) -> Indicator:
    """An indicator of `kind`; `levels`: a 1-to-n scale; `categories`: its dimension's."""
    dimension = None
    if categories:
        dimension = Dimension.objects.create(name=f"Dimension {order}")
        Category.objects.bulk_create(
            Category(dimension=dimension, name=name, order=n) for n, name in enumerate(categories)
        )
    indicator = Indicator.objects.create(
        result=result,
        order=order,
        wording=f"Indicateur d'essai {order} ({kind})",
        kind=kind,
        kind_is_proposal=False,
        unit=unit,
        dimension=dimension,
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(indicator=indicator, value=value, label=label)
        for value, label in enumerate(LEVEL_LABELS[:levels], start=1)
    )
    return indicator
