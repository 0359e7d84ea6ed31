"""Small factories for the data tests need: plain functions that return saved objects.

Each takes, as keyword arguments, what a test cares about and fills the rest with plausible
French values. They write through the ORM, as a fixture file would: a test of a service or a
form calls that service or posts that form itself.
"""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from indicators.models import (
    Category,
    Dimension,
    Evidence,
    Indicator,
    MeasureKind,
    Measurement,
    MeasurementBreakdown,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    Target,
)
from plan.models import Orientation, Result, StrategicPlan, Strategy

_serial = itertools.count(1)  # for names that must be unique in the database

# --- The plan's structure -------------------------------------------------------------------


def plan(*, start_year=2023, end_year=2028, title=None, **fields):
    """A plan that is not the current one unless `is_current=True` is given."""
    return StrategicPlan.objects.create(
        title=title or f"Plan stratégique {start_year}-{end_year}",
        organisation=fields.pop("organisation", "TIESS"),
        start_year=start_year,
        end_year=end_year,
        **fields,
    )


def orientation(plan, *, number=None, title=None):
    """The plan's next orientation (numbers follow the last one)."""
    if number is None:
        number = (plan.orientations.aggregate(last=Max("number"))["last"] or 0) + 1
    return Orientation.objects.create(
        plan=plan, number=number, title=title or f"Orientation numéro {number}"
    )


def result(orientation, *, number=None, statement=None):
    """The next result: numbers run across the whole plan, not within the orientation."""
    if number is None:
        last = Result.objects.filter(orientation__plan_id=orientation.plan_id).aggregate(
            last=Max("number")
        )["last"]
        number = (last or 0) + 1
    return Result.objects.create(
        orientation=orientation, number=number, statement=statement or f"Résultat visé {number}"
    )


def strategy(orientation, *, order=None, text=None, results=()):
    """The orientation's next strategy, serving `results`."""
    if order is None:
        order = (orientation.strategies.aggregate(last=Max("order"))["last"] or 0) + 1
    made = Strategy.objects.create(
        orientation=orientation, order=order, text=text or f"Stratégie {order}"
    )
    made.results.add(*results)
    return made


def period(plan, *, year=None, name=None, is_locked=False):
    """A fiscal year of the plan, 1 April to 31 March (by default the plan's first one)."""
    year = plan.start_year if year is None else year
    return ReportingPeriod.objects.create(
        plan=plan,
        name=name or f"{year}-{year + 1}",
        start_date=datetime.date(year, 4, 1),
        end_date=datetime.date(year + 1, 3, 31),
        is_locked=is_locked,
    )


# --- Indicators of each kind ----------------------------------------------------------------


def dimension(*, name=None, categories=("Entreprise", "Réseau", "Autre")):
    """A breakdown dimension with its categories, in order."""
    made = Dimension.objects.create(name=name or f"Type de partenaire {next(_serial)}")
    for order, category in enumerate(categories, start=1):
        Category.objects.create(dimension=made, name=category, order=order)
    return made


def indicator(result, *, kind=MeasureKind.COUNT, order=None, wording=None, levels=None, **fields):
    """The result's next indicator, of any kind, confirmed (not a proposal) unless told.

    A count by category gets a new dimension unless `dimension=` is given; a level gets the
    scale `levels` ({value: label}, by default five levels).
    """
    if order is None:
        order = (result.indicators.aggregate(last=Max("order"))["last"] or 0) + 1
    if kind == MeasureKind.COUNT_BY_CATEGORY and "dimension" not in fields:
        fields["dimension"] = dimension()
    fields.setdefault("kind_is_proposal", False)
    made = Indicator.objects.create(
        result=result,
        order=order,
        wording=wording or f"Indicateur {result.number}.{order}",
        kind=kind,
        **fields,
    )
    if kind == MeasureKind.LEVEL:
        if levels is None:
            levels = {value: f"Niveau {value}" for value in range(1, 6)}
        for value, label in levels.items():
            ScaleLevel.objects.create(indicator=made, value=value, label=label)
    return made


def target(indicator, period, value, **fields):
    return Target.objects.create(
        indicator=indicator, period=period, value=Decimal(str(value)), **fields
    )


# --- What staff record ----------------------------------------------------------------------


def measurement(indicator, period, user, value=None, *, breakdown=None, **fields):
    """A measurement as the measurement service leaves it (for pages that only read values).

    `breakdown` ({category: value}) adds the breakdown rows; the total is then their sum.
    """
    now = timezone.now()
    if breakdown and value is None:
        value = sum(Decimal(str(v)) for v in breakdown.values())
    made = Measurement.objects.create(
        indicator=indicator,
        period=period,
        value=None if value is None else Decimal(str(value)),
        recorded_by=user,
        recorded_at=now,
        updated_by=user,
        updated_at=now,
        **fields,
    )
    for category, category_value in (breakdown or {}).items():
        MeasurementBreakdown.objects.create(
            measurement=made, category=category, value=Decimal(str(category_value))
        )
    return made


def evidence_file(measurement, user, *, name="rapport.pdf", content=b"%PDF-1.4\n", **fields):
    """An evidence file stored under MEDIA_ROOT (set it to a temporary folder first)."""
    fields.setdefault("content_type", "application/pdf")
    made = Evidence(
        measurement=measurement,
        original_name=name,
        uploaded_by=user,
        uploaded_at=timezone.now(),
        **fields,
    )
    made.file.save(name, ContentFile(content), save=False)
    made.size = made.file.size
    made.save()
    return made


def strategy_progress(strategy, period, user, *, state, note=""):
    return StrategyProgress.objects.create(
        strategy=strategy,
        period=period,
        state=state,
        note=note,
        recorded_by=user,
        recorded_at=timezone.now(),
    )


# --- People ---------------------------------------------------------------------------------


def member(username, group_name, *, password, **names):
    """A user in one of the roles (the group that the roles migration creates)."""
    user = get_user_model().objects.create_user(username, password=password, **names)
    user.groups.add(Group.objects.get(name=group_name))
    return user
