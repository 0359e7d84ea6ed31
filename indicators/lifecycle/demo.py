"""A demonstration plan of any size, to show the dashboard and to measure its speed.

`demo_plan_build` writes a fictional "Plan de démonstration" in bulk: 5 orientations, yearly
periods with targets and values, categories for the counts by category, strategies and their
states, and a few values corrected after being reported. Building it again replaces the
previous demonstration plan, and only that plan, with what was recorded for it: its values,
and, through `demo_plan_deleting`, what the packages above keep of it (the board's meetings
and packs). What each kind's numbers look like: indicators.lifecycle.demo_values.
`manage.py generate_demo_data` is its shell.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from indicators.lifecycle.demo_values import RECIPES
from indicators.models import (
    Category,
    Dimension,
    Direction,
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    StrategyState,
    Target,
)
from indicators.rules.kinds import kind_of
from plan.models import Orientation, Result, StrategicPlan, Strategy
from plan.versions import ALL_PLANS, plan_data_changed

DEMO_TITLE = "Plan de démonstration"
DEMO_DIMENSION = "Démonstration : catégories"
DEMO_USER = "demo-donnees"
ORIENTATIONS = 5
RESULTS_PER_ORIENTATION = 2
STRATEGIES_PER_ORIENTATION = 3
LEVEL_LABELS = ["Très faible", "Faible", "Moyen", "Élevé", "Très élevé"]
CORRECTIONS = 5
# The share of values answered "not measured".
NOT_MEASURED_SHARE = 0.03
BATCH = 2000

# Sent inside the transaction, before the demonstration plan is deleted, with `plan`: the
# packages above this one delete what they keep of it (the board: its meetings and packs).
demo_plan_deleting = Signal()


@dataclass(frozen=True)
class DemoSize:
    indicators: int
    periods: int
    categories: int


@dataclass(frozen=True)
class DemoPlan:
    plan: StrategicPlan
    # Whether an earlier demonstration plan was replaced.
    replaced: bool


def demo_plan_build(*, size: DemoSize, seed: int, current: bool) -> DemoPlan:
    """Build the demonstration plan in one transaction, replacing the previous one.

    It stays current if the one it replaces was. Raises ValidationError when a real plan
    already covers its years, or when other data still depends on the previous one.
    """
    rng = random.Random(seed)
    with transaction.atomic():
        previous = StrategicPlan.objects.filter(title=DEMO_TITLE).first()
        current = current or bool(previous and previous.is_current)
        if previous is not None:
            demo_plan_delete(previous)
        Dimension.objects.filter(name=DEMO_DIMENSION).delete()
        user = demo_user()
        plan = _plan(size.periods, current=current)
        periods = _periods(plan, size.periods)
        orientations, results = _structure(plan)
        dimension, categories = _categories(size.categories)
        indicators = _indicators(size.indicators, results, dimension, rng)
        _values(indicators, periods, categories, user, rng)
        _strategies(orientations, results, periods, user, rng)
        # Bulk writes send no signal: the board's cached pages must still change.
        plan_data_changed(plan_ids=ALL_PLANS)
    return DemoPlan(plan=plan, replaced=previous is not None)


def demo_plan_delete(plan: StrategicPlan) -> None:
    """Delete a plan and everything recorded for it, children first (the keys protect them).

    Raises ValidationError, saying what to do, when data outside the demonstration still
    depends on it (for example a plan copied from it, whose indicators continue its own).
    """
    try:
        _delete(plan)
    except ProtectedError as error:
        raise ValidationError(
            _(
                "The demonstration plan cannot be replaced: other data depends on it "
                "(%(objects)s). Remove those links or delete that data, then run the command "
                "again."
            )
            % {"objects": _protected_list(error.protected_objects)}
        ) from None


def _protected_list(objects):
    """« indicateur « Nombre de… », … »: the first few objects a protected key holds."""
    objects = list(objects)
    named = [
        _("%(model)s “%(object)s”") % {"model": obj._meta.verbose_name, "object": obj}
        for obj in objects[:3]
    ]
    if len(objects) > 3:
        rest = len(objects) - 3
        named.append(ngettext("%(count)s more", "%(count)s more", rest) % {"count": rest})
    return ", ".join(named)


def _delete(plan):
    demo_plan_deleting.send(sender=StrategicPlan, plan=plan)
    measurements = Measurement.objects.filter(indicator__result__orientation__plan=plan)
    _purge(MeasurementBreakdown.objects.filter(measurement__in=measurements))
    Evidence.objects.filter(measurement__in=measurements).delete()
    _purge(measurements)
    _purge(Target.objects.filter(indicator__result__orientation__plan=plan))
    _purge(StrategyProgress.objects.filter(strategy__orientation__plan=plan))
    Strategy.objects.filter(orientation__plan=plan).delete()
    Indicator.objects.filter(result__orientation__plan=plan).delete()
    Result.objects.filter(orientation__plan=plan).delete()
    Orientation.objects.filter(plan=plan).delete()
    ReportingPeriod.objects.filter(plan=plan).delete()
    plan.delete()


def _purge(queryset):
    """Delete rows and their history in bulk: demonstration data needs no deletion record."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    model.history.filter(id__in=ids).delete()
    # One DELETE statement instead of one history record per row (simple-history's signal).
    model.objects.filter(pk__in=ids)._raw_delete(queryset.db)


def demo_user():
    """The inactive account the demonstration's values are recorded by."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USER, defaults={"first_name": "Données", "last_name": "de démonstration"}
    )
    if created:
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return user


# --- The plan and its structure ------------------------------------------------------------


def _plan(periods: int, *, current: bool) -> StrategicPlan:
    """The plan, over the `periods` years up to this one."""
    first_year = timezone.localdate().year - periods
    # The years name a plan (unique): never take those of a real plan.
    if StrategicPlan.objects.filter(start_year=first_year, end_year=first_year + periods).exists():
        raise ValidationError(
            _("A plan already covers %(years)s: choose another number of periods (--periods).")
            % {"years": f"{first_year}-{first_year + periods}"}
        )
    if current:
        StrategicPlan.objects.filter(is_current=True).update(is_current=False)
    return StrategicPlan.objects.create(
        title=DEMO_TITLE,
        subtitle="Données fictives, générées pour démonstration et mesure de performance",
        organisation="TIESS",
        start_year=first_year,
        end_year=first_year + periods,
        is_current=current,
    )


def _periods(plan, count):
    """One period a year, April to March."""
    return ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            plan=plan,
            name=f"{year}-{year + 1}",
            start_date=datetime.date(year, 4, 1),
            end_date=datetime.date(year + 1, 3, 31),
        )
        for year in range(plan.start_year, plan.start_year + count)
    )


def _structure(plan):
    """The orientations, and the results of each."""
    orientations = Orientation.objects.bulk_create(
        Orientation(plan=plan, number=n, title=f"Orientation de démonstration {n}")
        for n in range(1, ORIENTATIONS + 1)
    )
    results = Result.objects.bulk_create(
        Result(
            orientation=orientation,
            number=(orientation.number - 1) * RESULTS_PER_ORIENTATION + k,
            statement=f"Résultat visé de démonstration {orientation.number}.{k}",
        )
        for orientation in orientations
        for k in range(1, RESULTS_PER_ORIENTATION + 1)
    )
    return orientations, results


def _categories(count):
    """The categories of the counts by category, in their own dimension."""
    dimension = Dimension.objects.create(
        name=DEMO_DIMENSION, description="Catégories fictives du plan de démonstration."
    )
    categories = Category.objects.bulk_create(
        Category(dimension=dimension, name=f"Catégorie {n:02d}", order=n)
        for n in range(1, count + 1)
    )
    return dimension, categories


def _indicators(count, results, dimension, rng):
    """`count` indicators spread over the results, each kind in turn, with their scales."""
    kinds = list(RECIPES)
    built = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        recipe, spec = RECIPES[kind], kind_of(kind)
        decrease = recipe.can_decrease and n % 4 == 1
        built.append(
            Indicator(
                result=results[n % len(results)],
                order=n // len(results) + 1,
                wording=f"Indicateur de démonstration {n + 1} ({kind.label})",
                kind=kind,
                kind_is_proposal=False,
                unit=recipe.unit,
                direction=Direction.DECREASE if decrease else Direction.INCREASE,
                dimension=dimension if spec.has_categories else None,
                baseline_value=recipe.baseline(rng, decrease=decrease),
            )
        )
    indicators = Indicator.objects.bulk_create(built)
    ScaleLevel.objects.bulk_create(
        ScaleLevel(indicator=indicator, value=value, label=label)
        for indicator in indicators
        if kind_of(indicator).has_levels
        for value, label in enumerate(LEVEL_LABELS, start=1)
    )
    return indicators


# --- Targets and values --------------------------------------------------------------------


def _values(indicators, periods, categories, user, rng):
    """A target and a value for every indicator and period, then a few corrections."""
    now = timezone.now()
    targets, measurements, splits = [], [], []
    for indicator in indicators:
        recipe = RECIPES[indicator.kind]
        for index, period in enumerate(periods):
            # A target that moves steadily from the baseline, in the indicator's direction.
            target = recipe.target(indicator, Decimal(index + 1) / Decimal(len(periods)))
            if target is not None:
                targets.append(Target(indicator=indicator, period=period, value=target))
            measurement = Measurement(
                indicator=indicator,
                period=period,
                recorded_by=user,
                recorded_at=now,
                updated_by=user,
                updated_at=now,
            )
            parts = _answer(measurement, recipe, target, rng, categories)
            if parts is not None:
                splits.append((measurement, parts))
            measurements.append(measurement)
    Target.objects.bulk_create(targets, batch_size=BATCH)
    created = bulk_create_with_history(
        measurements,
        Measurement,
        batch_size=BATCH,
        default_user=user,
        default_change_reason="Données de démonstration",
        default_date=now,
    )
    _breakdowns(created, splits, categories)
    _corrections(created, user, rng, now)


def _answer(measurement, recipe, target, rng, categories):
    """Fill `measurement` ("not measured" now and then); its breakdown's numbers, if any."""
    if rng.random() < NOT_MEASURED_SHARE:
        measurement.status = MeasurementStatus.NOT_MEASURED
        measurement.explanation = "Collecte reportée à la période suivante."
        return None
    return recipe.measure(
        measurement,
        indicator=measurement.indicator,
        target=target,
        rng=rng,
        categories=categories,
        period=measurement.period,
    )


def _breakdowns(created, splits, categories):
    """The counts by category of the saved measurements."""
    saved = {(m.indicator_id, m.period_id): m for m in created}
    breakdowns = []
    for measurement, parts in splits:
        measurement = saved[(measurement.indicator_id, measurement.period_id)]
        breakdowns.extend(
            MeasurementBreakdown(measurement=measurement, category=category, value=Decimal(part))
            for category, part in zip(categories, parts, strict=True)
        )
    MeasurementBreakdown.objects.bulk_create(breakdowns, batch_size=5000)


def _corrections(created, user, rng, now):
    """A few values corrected after being reported, with their reason (history "~")."""
    numeric = [
        m for m in created if m.value is not None and not kind_of(m.indicator).has_categories
    ]
    for measurement in rng.sample(numeric, min(CORRECTIONS, len(numeric))):
        measurement.value += 1
        measurement.version += 1
        measurement.updated_at = now
        measurement._history_user = user
        measurement._change_reason = "Correction après vérification des pièces justificatives."
        measurement.save()


# --- Strategies ----------------------------------------------------------------------------


def _strategies(orientations, results, periods, user, rng):
    """Strategies for each orientation, the results they serve, and a state each period."""
    strategies = Strategy.objects.bulk_create(
        Strategy(
            orientation=orientation,
            order=k,
            text=f"Stratégie de démonstration {orientation.number}.{k}",
        )
        for orientation in orientations
        for k in range(1, STRATEGIES_PER_ORIENTATION + 1)
    )
    _strategy_results(strategies, results, rng)
    now = timezone.now()
    StrategyProgress.objects.bulk_create(
        StrategyProgress(
            strategy=strategy,
            period=period,
            state=state,
            note=f"Note de démonstration pour {period.name}.",
            recorded_by=user,
            recorded_at=now,
        )
        for strategy in strategies
        for period, state in zip(periods, _states(len(periods), rng), strict=True)
    )


def _strategy_results(strategies, results, rng):
    """Each strategy serves one or two results of its orientation, and one drawn at random."""
    by_orientation = {}
    for result in results:
        by_orientation.setdefault(result.orientation_id, []).append(result)
    links = []
    for strategy in strategies:
        served = set(by_orientation[strategy.orientation_id][: 1 + strategy.order % 2])
        served.add(rng.choice(results))
        links.extend(
            Strategy.results.through(strategy=strategy, result=result) for result in served
        )
    Strategy.results.through.objects.bulk_create(links)


def _states(count, rng):
    """A strategy's state at the end of each of `count` periods: started, then maybe over."""
    states, state = [], StrategyState.NOT_STARTED
    for _period in range(count):
        if state == StrategyState.NOT_STARTED and rng.random() < 0.6:
            state = StrategyState.IN_PROGRESS
        elif state == StrategyState.IN_PROGRESS and rng.random() < 0.1:
            state = rng.choice([StrategyState.DONE, StrategyState.ABANDONED])
        states.append(state)
    return states
