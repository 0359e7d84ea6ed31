"""The write guard of recorded data: row locks, versions and conflicts, saves with history.

Lock order, the same for every writer: the plan's row, then the period's, then the rows
written. Closing a plan (plan/services.py) and the targets grid lock the plan's row alone;
locking a period locks the period's row alone; so no two writers wait on each other.
On SQLite, whose IMMEDIATE transactions already take turns, the locks are no-ops.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import ngettext

from indicators.models import (
    Measurement,
    ReportingPeriod,
    StrategyProgress,
)
from indicators.rules.periods import period_problem
from plan.models import StrategicPlan


class WriteConflict(Exception):
    """Someone else saved the same thing (a value, a strategy's state) since it was read.

    `current` is what is saved now (None if it was deleted), to show the person.
    """

    def __init__(self, current):
        super().__init__("changed since it was read")
        self.current = current


def period_lock_for_write(*, plan_id: int, period: ReportingPeriod) -> ReportingPeriod:
    """Lock the period's plan and the period until the end of the transaction; refuse a
    closed plan, a locked period, another plan's period.

    Every write of recorded data (values, strategy states, imports) starts here, inside its
    transaction: an administrator's lock of the period, or the closing of its plan, either
    commits first (and the write is refused) or waits for the write to finish. Raises
    ValidationError keyed by "period".
    """
    StrategicPlan.objects.select_for_update().filter(pk=period.plan_id).first()
    current = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=period.pk)
    )
    problem = period_problem(plan_id=plan_id, period=current)
    if problem:
        raise ValidationError({"period": problem})
    return current


def check_version(existing: Measurement | StrategyProgress | None, version: int | None) -> None:
    """Optimistic concurrency: `version` is what the person started from (0: nothing yet)."""
    if version is not None and version != (existing.version if existing else 0):
        raise WriteConflict(existing)


def save_new(save: Callable[[], None], *, find_current: Callable[[], object]) -> None:
    """Save a new row; if someone created the same row a moment ago, raise WriteConflict."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise WriteConflict(find_current()) from None
    except ValidationError as error:
        # full_clean's unique check saw the other person's row before the database did.
        if "__all__" in getattr(error, "error_dict", {}) and find_current() is not None:
            raise WriteConflict(find_current()) from None
        raise


def save_with_history(instance: models.Model, *, user: AbstractBaseUser, reason: str) -> None:
    """Validate and save `instance`; its history records `user` and `reason`."""
    instance._history_user = user
    instance._change_reason = reason or None
    instance.full_clean()
    instance.save()


def delete_with_history(instance: models.Model, *, user: AbstractBaseUser, reason: str) -> None:
    """Delete `instance`; its history records `user` and `reason`."""
    instance._history_user = user
    instance._change_reason = reason or None
    instance.delete()


@transaction.atomic
def period_set_locked(*, period: ReportingPeriod, locked: bool) -> ReportingPeriod:
    """Lock (or unlock) a reporting period; staff can no longer change a locked period.

    When the plan says so (`lock_requires_validation`), a period with values still to
    validate or returned is not locked: ValidationError keyed by "period".
    """
    # Waits for writes in progress in this period (they hold its row, see period_lock_for_write).
    current = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("plan")
        .filter(pk=period.pk)
        .first()
    )
    if locked and current is not None and current.plan.lock_requires_validation:
        waiting = Measurement.objects.filter(period=current).unvalidated().count()
        if waiting:
            raise ValidationError(
                {
                    "period": ngettext(
                        "%(count)d value of this period is not validated yet: validate it "
                        "before locking the period.",
                        "%(count)d values of this period are not validated yet: validate them "
                        "before locking the period.",
                        waiting,
                    )
                    % {"count": waiting}
                }
            )
    period.is_locked = locked
    period.full_clean()
    period.save(update_fields=["is_locked"])
    return period
