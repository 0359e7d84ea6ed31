"""TODO docstring."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

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


def _target_cell(key, *, indicators, periods, plan):
    """(indicator, period) of the cell `key`, or the reason it is not a cell of `plan`."""
    try:
        indicator_id, period_id = (int(part) for part in str(key).split("-"))
    except ValueError:
        return None, _("This is not a cell of the targets grid.")
    if indicator_id not in indicators:
        return None, _("This indicator is not one of the plan “%(plan)s”.") % {"plan": plan}
    if period_id not in periods:
        return None, _("This period is not one of the plan “%(plan)s”.") % {"plan": plan}
    return (indicators[indicator_id], periods[period_id]), None


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
    read by the one number rule (indicators/numbers.py, "12,5" or "1 200"), or a Decimal. An
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
    # One grid save at a time per plan; a plan closed meanwhile is seen here.
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
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.of_plan(plan).prefetch_related("levels")
    }
    periods = {period.pk: period for period in ReportingPeriod.objects.of_plan(plan)}
    existing = {
        (target.indicator_id, target.period_id): target
        for target in Target.objects.select_for_update(of=("self",)).filter(period__plan=plan)
    }
    seen = seen or {}
    errors, wanted = {}, {}
    for key, typed in cells.items():
        cell, problem = _target_cell(key, indicators=indicators, periods=periods, plan=plan)
        if problem is None:
            try:
                value = parse_number(typed)
            except ValidationError as error:
                problem = error.messages
        if problem is None and key in seen:
            try:
                before = parse_number(seen[key])
            except ValidationError:
                before = "unreadable"
            if value == before:
                continue  # not changed here
            target = existing.get((cell[0].pk, cell[1].pk))
            current = None if target is None else target.value
            if current != before and current != value:
                problem = _target_conflict(cell[0], current)
        if problem is None:
            problem = target_value_problem(indicator=cell[0], value=value)
        if problem:
            errors[str(key)] = problem
        else:
            wanted[cell] = value
    if errors:
        raise ValidationError(errors)

    reason = _("targets grid")
    changed = deleted = 0
    for (indicator, period), value in wanted.items():
        target = existing.get((indicator.pk, period.pk))
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
