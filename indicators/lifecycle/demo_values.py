"""How the demonstration plan fills an indicator of each kind: its unit, baseline, targets and
values (fictional, drawn from a seeded random generator).

One recipe per kind the demonstration shows, in the order its indicators take them. The
indicator's rules stay with its kind (indicators.rules.kinds); only the made-up numbers are
here, next to the command that needs them.
"""

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from indicators.models import Direction, MeasureKind

ONE = Decimal("1")


@dataclass(frozen=True)
class Recipe:
    """A number that moves from its baseline towards its targets (a count, an amount)."""

    unit: str = ""
    # Whether some indicators of this kind are "lower is better".
    can_decrease: bool = False

    def baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return Decimal(rng.randint(10, 40)) * (100 if decrease else 1)

    def target(self, indicator: Any, share: Decimal) -> Decimal | None:
        """A target `share` of the way through the plan, moving in the indicator's direction."""
        baseline = indicator.baseline_value or Decimal(0)
        if indicator.direction == Direction.DECREASE:
            return (baseline * (Decimal(1) - Decimal("0.6") * share)).quantize(ONE)
        return (baseline + Decimal(20) + Decimal(200) * share).quantize(ONE)

    def measure(
        self,
        measurement: Any,
        *,
        indicator: Any,
        target: Decimal | None,
        rng: random.Random,
        categories: list[Any],
        period: Any,
    ) -> list[int] | None:
        """Fill a demonstration measurement; return its breakdown's numbers, if it has one."""
        factor = Decimal(str(round(rng.uniform(0.75, 1.1), 2)))
        if indicator.direction == Direction.DECREASE:
            factor = Decimal(2) - factor
        measurement.value = (target * factor).quantize(ONE)
        return None


class PercentageRecipe(Recipe):
    def target(self, indicator: Any, share: Decimal) -> Decimal | None:
        return (Decimal(40) + Decimal(50) * share).quantize(ONE)

    def measure(self, measurement: Any, **kwargs: Any) -> list[int] | None:
        super().measure(measurement, **kwargs)
        measurement.value = min(measurement.value, Decimal(100))
        return None


class LevelRecipe(Recipe):
    """A level of the demonstration's five-level scale, rising through the plan."""

    def baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return Decimal(1)

    def target(self, indicator: Any, share: Decimal) -> Decimal | None:
        return Decimal(min(5, 2 + round(3 * share)))

    def measure(self, measurement: Any, *, target: Any, rng: Any, **kwargs: Any) -> None:
        measurement.value = Decimal(max(1, min(5, int(target) + rng.choice([-1, 0, 0]))))


class BreakdownRecipe(Recipe):
    """A random count per category; the value is their total."""

    def baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return None

    def measure(
        self, measurement: Any, *, target: Any, rng: Any, categories: list[Any], **kwargs: Any
    ) -> list[int] | None:
        parts = [rng.randint(0, int(target) // len(categories) * 2 + 2) for _ in categories]
        measurement.value = Decimal(sum(parts))
        return parts


class NarrativeRecipe(Recipe):
    """A narrative, the same for every period but its name; no baseline, no target."""

    def baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return None

    def target(self, indicator: Any, share: Decimal) -> Decimal | None:
        return None

    def measure(self, measurement: Any, *, period: Any, **kwargs: Any) -> None:
        measurement.narrative = (
            f"Récit de démonstration pour {period.name} : les collaborations se "
            "diversifient et de nouveaux partenaires se joignent aux travaux."
        )


# The kinds of the demonstration's indicators, in turn.
RECIPES: dict[str, Recipe] = {
    MeasureKind.COUNT_BY_CATEGORY: BreakdownRecipe(unit="organisations"),
    MeasureKind.COUNT: Recipe(unit="activités", can_decrease=True),
    MeasureKind.LEVEL: LevelRecipe(),
    MeasureKind.PERCENTAGE: PercentageRecipe(unit="%"),
    MeasureKind.AMOUNT: Recipe(unit="$", can_decrease=True),
    MeasureKind.QUALITATIVE: NarrativeRecipe(),
}
