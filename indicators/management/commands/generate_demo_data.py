"""Build a demonstration plan of any size, to show the dashboard and to measure its speed.

    python manage.py generate_demo_data --indicators 200 --periods 20 --categories 17 \
        --seed 1 --current

Running it again replaces the previous "Plan de démonstration" (and only that plan).
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.models import (
    Category,
    Dimension,
    Direction,
    Evidence,
    Indicator,
    MeasureKind,
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
RESULTS_PER_ORIENTATION = 2
STRATEGIES_PER_ORIENTATION = 3
KINDS = [
    MeasureKind.COUNT_BY_CATEGORY,
    MeasureKind.COUNT,
    MeasureKind.LEVEL,
    MeasureKind.PERCENTAGE,
    MeasureKind.AMOUNT,
    MeasureKind.QUALITATIVE,
]
LEVEL_LABELS = ["Très faible", "Faible", "Moyen", "Élevé", "Très élevé"]
CORRECTIONS = 5


def _purge(queryset):
    """Delete rows and their history in bulk: demonstration data needs no deletion record."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    model.history.filter(id__in=ids).delete()
    # One DELETE statement instead of one history record per row (simple-history's signal).
    model.objects.filter(pk__in=ids)._raw_delete(queryset.db)


def delete_plan(plan):
    """Delete a plan and everything recorded for it, children first (the keys protect them)."""
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


class Command(BaseCommand):
    help = (
        "Build the plan “Plan de démonstration” with N indicators over 5 orientations, P periods "
        "with targets and values, C categories for counts by category, and strategy states. "
        "Replaces a previous demonstration plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=30, help="Number of indicators.")
        parser.add_argument("--periods", type=int, default=5, help="Number of yearly periods.")
        parser.add_argument(
            "--categories", type=int, default=5, help="Categories of the counts by category."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random values.")
        parser.add_argument(
            "--current", action="store_true", help="Make the demonstration plan the current one."
        )

    def handle(self, *args, **options):
        indicators, periods, categories = (
            options["indicators"],
            options["periods"],
            options["categories"],
        )
        if indicators < 1 or periods < 1 or categories < 1:
            raise CommandError(_("--indicators, --periods and --categories must be at least 1."))
        started = time.perf_counter()
        with transaction.atomic():
            plan = self.build(
                indicators=indicators,
                periods=periods,
                categories=categories,
                rng=random.Random(options["seed"]),
                current=options["current"],
            )
            # Bulk writes send no signal: the board's cached pages must still change.
            plan_data_changed(plan_ids=ALL_PLANS)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "“%(plan)s”: %(indicators)s indicators, %(periods)s periods, "
                    "%(categories)s categories in %(seconds).1f s"
                )
                % {
                    "plan": plan.title,
                    "indicators": indicators,
                    "periods": periods,
                    "categories": categories,
                    "seconds": time.perf_counter() - started,
                }
                + (" (plan courant)." if plan.is_current else ".")
            )
        )

    def build(self, *, indicators, periods, categories, rng, current):
        previous = StrategicPlan.objects.filter(title=DEMO_TITLE).first()
        was_current = bool(previous and previous.is_current)
        if previous is not None:
            delete_plan(previous)
            self.stdout.write(_("The previous demonstration plan was replaced."))
        Dimension.objects.filter(name=DEMO_DIMENSION).delete()
        user = self.demo_user()
        today = timezone.localdate()
        first_year = today.year - periods
        # The years name a plan (unique): never take those of a real plan.
        if StrategicPlan.objects.filter(
            start_year=first_year, end_year=first_year + periods
        ).exists():
            raise CommandError(
                _("A plan already covers %(years)s: choose another number of periods (--periods).")
                % {"years": f"{first_year}-{first_year + periods}"}
            )
        if current or was_current:
            StrategicPlan.objects.filter(is_current=True).update(is_current=False)
        plan = StrategicPlan.objects.create(
            title=DEMO_TITLE,
            subtitle="Données fictives, générées pour démonstration et mesure de performance",
            organisation="TIESS",
            start_year=first_year,
            end_year=first_year + periods,
            is_current=current or was_current,
        )
        period_list = ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                plan=plan,
                name=f"{year}-{year + 1}",
                start_date=datetime.date(year, 4, 1),
                end_date=datetime.date(year + 1, 3, 31),
            )
            for year in range(first_year, first_year + periods)
        )
        orientations = Orientation.objects.bulk_create(
            Orientation(plan=plan, number=n, title=f"Orientation de démonstration {n}")
            for n in range(1, 6)
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
        dimension = Dimension.objects.create(
            name=DEMO_DIMENSION, description="Catégories fictives du plan de démonstration."
        )
        category_list = Category.objects.bulk_create(
            Category(dimension=dimension, name=f"Catégorie {n:02d}", order=n)
            for n in range(1, categories + 1)
        )
        indicator_list = self.indicators(indicators, results, dimension, rng)
        ScaleLevel.objects.bulk_create(
            ScaleLevel(indicator=indicator, value=value, label=label)
            for indicator in indicator_list
            if kind_of(indicator).has_levels
            for value, label in enumerate(LEVEL_LABELS, start=1)
        )
        self.values(indicator_list, period_list, category_list, user, rng, today)
        self.strategies(orientations, results, period_list, user, rng)
        return plan

    def demo_user(self):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USER, defaults={"first_name": "Données", "last_name": "de démonstration"}
        )
        if created:
            user.is_active = False
            user.set_unusable_password()
            user.save()
        return user

    def indicators(self, count, results, dimension, rng):
        built = []
        for n in range(count):
            result = results[n % len(results)]
            kind = KINDS[n % len(KINDS)]
            spec = kind_of(kind)
            decrease = spec.demo_can_decrease and n % 4 == 1
            baseline = spec.demo_baseline(rng, decrease=decrease)
            built.append(
                Indicator(
                    result=result,
                    order=n // len(results) + 1,
                    wording=f"Indicateur de démonstration {n + 1} ({kind.label})",
                    kind=kind,
                    kind_is_proposal=False,
                    unit=spec.demo_unit,
                    direction=Direction.DECREASE if decrease else Direction.INCREASE,
                    dimension=dimension if spec.has_categories else None,
                    baseline_value=baseline,
                )
            )
        return Indicator.objects.bulk_create(built)

    def target_for(self, indicator, index, count):
        """A target that moves steadily from the baseline, in the indicator's direction."""
        share = Decimal(index + 1) / Decimal(count)
        return kind_of(indicator).demo_target(indicator, share)

    def values(self, indicators, periods, categories, user, rng, today):
        now = timezone.now()
        targets, measurements, splits = [], [], []
        for indicator in indicators:
            spec = kind_of(indicator)
            for index, period in enumerate(periods):
                target = self.target_for(indicator, index, len(periods))
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
                if rng.random() < 0.03:
                    measurement.status = MeasurementStatus.NOT_MEASURED
                    measurement.explanation = "Collecte reportée à la période suivante."
                else:
                    parts = spec.demo_measure(
                        measurement,
                        indicator=indicator,
                        target=target,
                        rng=rng,
                        categories=categories,
                        period=period,
                    )
                    if parts is not None:
                        splits.append((measurement, parts))
                measurements.append(measurement)
        Target.objects.bulk_create(targets, batch_size=2000)
        created = bulk_create_with_history(
            measurements,
            Measurement,
            batch_size=2000,
            default_user=user,
            default_change_reason="Données de démonstration",
            default_date=now,
        )
        by_key = {(m.indicator_id, m.period_id): m for m in created}
        breakdowns = []
        for measurement, parts in splits:
            saved = by_key[(measurement.indicator_id, measurement.period_id)]
            breakdowns.extend(
                MeasurementBreakdown(measurement=saved, category=category, value=Decimal(part))
                for category, part in zip(categories, parts, strict=True)
            )
        MeasurementBreakdown.objects.bulk_create(breakdowns, batch_size=5000)
        # A few values corrected after being reported, with their reason (history "~").
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

    def strategies(self, orientations, results, periods, user, rng):
        strategies = Strategy.objects.bulk_create(
            Strategy(
                orientation=orientation,
                order=k,
                text=f"Stratégie de démonstration {orientation.number}.{k}",
            )
            for orientation in orientations
            for k in range(1, STRATEGIES_PER_ORIENTATION + 1)
        )
        links = []
        by_orientation = {}
        for result in results:
            by_orientation.setdefault(result.orientation_id, []).append(result)
        for strategy in strategies:
            served = set(by_orientation[strategy.orientation_id][: 1 + strategy.order % 2])
            served.add(rng.choice(results))
            links.extend(
                Strategy.results.through(strategy=strategy, result=result) for result in served
            )
        Strategy.results.through.objects.bulk_create(links)
        now = timezone.now()
        progress = []
        for strategy in strategies:
            state = StrategyState.NOT_STARTED
            for period in periods:
                if state == StrategyState.NOT_STARTED and rng.random() < 0.6:
                    state = StrategyState.IN_PROGRESS
                elif state == StrategyState.IN_PROGRESS and rng.random() < 0.1:
                    state = rng.choice([StrategyState.DONE, StrategyState.ABANDONED])
                progress.append(
                    StrategyProgress(
                        strategy=strategy,
                        period=period,
                        state=state,
                        note=f"Note de démonstration pour {period.name}.",
                        recorded_by=user,
                        recorded_at=now,
                    )
                )
        StrategyProgress.objects.bulk_create(progress)
