"""TODO docstring."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from indicators.models import (
    Measurement,
    ReportingPeriod,
    StrategyProgress,
)
from indicators.rules.periods import period_problem


class WriteConflict(Exception):
    """Someone else saved the same thing (a value, a strategy's state) since it was read.

    `current` is what is saved now (None if it was deleted), to show the person.
    """

    def __init__(self, current):
        super().__init__("changed since it was read")
        self.current = current


def period_lock_for_write(*, plan_id: int, period: ReportingPeriod) -> ReportingPeriod:
    """Lock the period's row until the end of the transaction; refuse a locked period.

    Every write of recorded data (values, strategy states, imports) starts here, inside its
    transaction: an administrator's lock either commits first (and the write is refused) or
    waits for the write to finish. Raises ValidationError keyed by "period".
    """
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
    instance._history_user = user
    instance._change_reason = reason or None
    instance.full_clean()
    instance.save()


def delete_with_history(instance: models.Model, *, user: AbstractBaseUser, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason or None
    instance.delete()


@transaction.atomic
def period_set_locked(*, period: ReportingPeriod, locked: bool) -> ReportingPeriod:
    """Lock (or unlock) a reporting period; staff can no longer change a locked period."""
    # Waits for writes in progress in this period (they hold its row, see period_lock_for_write).
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
    period.is_locked = locked
    period.full_clean()
    period.save(update_fields=["is_locked"])
    return period
