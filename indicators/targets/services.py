"""Writing targets: the kind's target rule, and the targets grid saved in one go."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Self

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import (
    Indicator,
    ReportingPeriod,
    Target,
)
from indicators.recording.guard import delete_with_history, save_with_history
from indicators.rules.kinds import kind_of
from indicators.rules.numbers import parse_number
from plan.models import StrategicPlan


def target_value_problem(
    *, indicator: Indicator, value: Decimal | None, levels: Iterable[int] | None = None
) -> str | None:
    """Why `value` cannot be a target (or baseline) of `indicator`, or None when it can.

    `levels`: the scale's level numbers, when they are not saved yet (admin inlines).
    """
    if value is None:
        return None
    return kind_of(indicator).target_problem(indicator, value, levels=levels)


def target_cell_key(indicator_id: int, period_id: int) -> str:
    """The name of a cell of the targets grid: "<indicator pk>-<period pk>"."""
    return f"{indicator_id}-{period_id}"


# A cell whose "seen" text cannot be read: it differs from any saved value.
_UNREADABLE = object()


@dataclass
class _PlanTargets:
    """What a grid save is checked against: the plan's indicators, periods and saved targets."""

    plan: StrategicPlan
    indicators: dict[int, Indicator]
    periods: dict[int, ReportingPeriod]
    saved: dict[tuple[int, int], Target]

    @classmethod
    def read(cls, plan: StrategicPlan) -> Self:
        """Read them; the saved targets stay locked until the save ends."""
        return cls(
            plan=plan,
            indicators={
                indicator.pk: indicator
                for indicator in Indicator.objects.of_plan(plan).prefetch_related("levels")
            },
            periods={period.pk: period for period in ReportingPeriod.objects.of_plan(plan)},
            saved={
                (target.indicator_id, target.period_id): target
                for target in Target.objects.select_for_update(of=("self",)).filter(
                    period__plan=plan
                )
            },
        )

    def cell(self, key) -> tuple[Indicator, ReportingPeriod]:
        """(indicator, period) of the cell `key`; ValidationError when not a cell of the plan."""
        try:
            indicator_id, period_id = (int(part) for part in str(key).split("-"))
        except ValueError:
            raise ValidationError(_("This is not a cell of the targets grid.")) from None
        if indicator_id not in self.indicators:
            raise ValidationError(
                _("This indicator is not one of the plan “%(plan)s”.") % {"plan": self.plan}
            )
        if period_id not in self.periods:
            raise ValidationError(
                _("This period is not one of the plan “%(plan)s”.") % {"plan": self.plan}
            )
        return self.indicators[indicator_id], self.periods[period_id]

    def saved_value(self, indicator: Indicator, period: ReportingPeriod) -> Decimal | None:
        target = self.saved.get((indicator.pk, period.pk))
        return None if target is None else target.value


def _target_conflict(indicator, current):
    """The message of a cell that someone else changed since the grid was read."""
    return _(
        "Someone changed this target since you opened the grid: it is now “%(value)s”. "
        "Check it, then save again."
    ) % {
        "value": _("no target")
        if current is None
        else kind_of(indicator).value_text(indicator, current)
    }


def _plan_open_for_targets(plan: StrategicPlan) -> StrategicPlan:
    """The plan, locked for this save (one grid save at a time); refused once closed."""
    plan = StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_closed:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "The plan “%(plan)s” is closed: its targets can no longer be changed."
                )
                % {"plan": plan}
            }
        )
    return plan


def _cell_change(targets: _PlanTargets, key, typed, *, seen: Mapping):
    """((indicator, period), value) to write for the cell `key`, or None to leave it as it is.

    Raises ValidationError: why the cell is refused (not a cell of the plan, not a number,
    changed by someone else too, refused by the kind's target rule).
    """
    indicator, period = targets.cell(key)
    value = parse_number(typed)
    if key in seen:
        try:
            before = parse_number(seen[key])
        except ValidationError:
            before = _UNREADABLE
        if value == before:
            return None  # not changed here
        current = targets.saved_value(indicator, period)
        if current != before and current != value:
            raise ValidationError(_target_conflict(indicator, current))
    problem = target_value_problem(indicator=indicator, value=value)
    if problem:
        raise ValidationError(problem)
    return (indicator, period), value


def _targets_write(targets: _PlanTargets, wanted, *, user) -> tuple[int, int]:
    """Save each wanted value (None deletes the target), with its history."""
    reason = _("targets grid")
    changed = deleted = 0
    for (indicator, period), value in wanted.items():
        target = targets.saved.get((indicator.pk, period.pk))
        if value is None:
            if target is not None:
                delete_with_history(target, user=user, reason=reason)
                deleted += 1
            continue
        if target is None:
            target = Target(indicator=indicator, period=period)
        elif target.value == value:
            continue
        target.value = value
        save_with_history(target, user=user, reason=reason)
        changed += 1
    return changed, deleted


@transaction.atomic
def targets_save(
    *,
    plan: StrategicPlan,
    cells: Mapping[str, str | Decimal | None],
    user: AbstractBaseUser,
    seen: Mapping[str, str | Decimal | None] | None = None,
) -> tuple[int, int]:
    """Save a grid of targets of `plan` in one go: every cell, or none at all.

    `cells` maps "<indicator pk>-<period pk>" (`target_cell_key`) to what was typed: a text
    read by the one number rule (rules/numbers.py, "12,5" or "1 200"), or a Decimal. An
    empty cell means no target (an existing one is deleted). Each number must pass its
    indicator kind's target rule (`target_value_problem`: a level of the scale, a percentage
    within 0-100…). Cells not given are left as they are.

    `seen` (optional, same keys): what each cell showed when the grid was read. A cell typed
    as it was seen is left alone (someone may have changed it since, and keeps their value);
    a cell changed here that someone else changed too is refused, with the current value.

    Raises ValidationError keyed by cell, listing every refused cell, and writes nothing; a
    closed plan is refused as a whole ("__all__"). The history keeps each change, by `user`.
    Returns (number of targets created or changed, number deleted).
    """
    targets = _PlanTargets.read(_plan_open_for_targets(plan))
    seen = seen or {}
    errors, wanted = {}, {}
    for key, typed in cells.items():
        try:
            change = _cell_change(targets, key, typed, seen=seen)
        except ValidationError as error:
            errors[str(key)] = error.messages
        else:
            if change is not None:
                cell, value = change
                wanted[cell] = value
    if errors:
        raise ValidationError(errors)
    return _targets_write(targets, wanted, user=user)
