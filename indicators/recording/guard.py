"""The write guard of recorded data: row locks, versions and conflicts, saves with history.

Lock order, the same for every writer: the plan's row, then the period's, then the rows
written. Closing a plan (plan/services.py) and the targets grid lock the plan's row alone;
locking a period locks the period's row alone; so no two writers wait on each other.
On SQLite, whose IMMEDIATE transactions already take turns, the locks are no-ops.

Many rows of a value (its categories) are validated once (rows_validate: full_clean's
rules, check constraints without a query each) and written in bulk with their history
(rows_*_with_history: same user, reason and history types as one save or delete each).
"""

from collections.abc import Callable, Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldError, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_model_for_model,
)

from indicators.models import (
    Measurement,
    ReportingPeriod,
    StrategyProgress,
)
from indicators.recording.constraints import Unreadable, condition_holds
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
    # The lock only: the plan's columns come with the period below.
    StrategicPlan.objects.select_for_update().filter(pk=period.plan_id).values_list("pk").first()
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
    instance.full_clean()
    save_validated_with_history(instance, user=user, reason=reason)


def save_validated_with_history(
    instance: models.Model, *, user: AbstractBaseUser, reason: str
) -> None:
    """Save `instance` already validated (rows_validate); its history records `user` and
    `reason`."""
    instance._history_user = user
    instance._change_reason = reason or None
    instance.save()


# --- Many rows at once: constraints checked once, bulk writes with their history ------------


def _sql_conditions(row: models.Model, constraints: list[CheckConstraint]) -> list[Q]:
    """`constraints` on `row` for the database: its values in place of its columns."""
    # Django's own map (CheckConstraint.validate uses it): {field name: Value(value, field)}.
    values = {
        models.F(name): value for name, value in row._get_field_expression_map(row._meta).items()
    }
    return [Q(constraint.condition).replace_expressions(values) for constraint in constraints]


def _constraints_hold(rows: Sequence[models.Model]) -> bool:
    """Whether every check constraint of every row holds: evaluated in Python (constraints.py),
    the database asked once for the conditions Python cannot read (full_clean asks it once
    per constraint and row)."""
    conditions = []
    for row in rows:
        unreadable = []
        for constraint in row._meta.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            try:
                if not condition_holds(row, constraint.condition):
                    return False
            except Unreadable:
                unreadable.append(constraint)
        conditions += _sql_conditions(row, unreadable) if unreadable else []
    if not conditions:
        return True
    try:
        return Q(*conditions).check({}, using=router.db_for_write(type(rows[0])))
    except FieldError:  # a condition Django's check cannot read: ask row by row
        return False


def rows_validate(rows: Sequence[models.Model], *, held: Iterable[str] = ()) -> None:
    """Validate rows about to be written as full_clean does, without one query per check
    constraint and row (evaluated in Python; the database asked at most once, for those
    Python cannot read).

    Left to the write guard and the database: the existence of the foreign keys named in
    `held` (rows the caller locked or has just read), and unique constraints (the rows were
    read under the guard's locks; a duplicate is refused by the database, and save_new turns
    it into a WriteConflict). Anything refused: the row is cleaned again by full_clean, so
    the ValidationError is full_clean's (same keys, same messages).
    """
    held = set(held)
    for row in rows:
        try:
            row.clean_fields(exclude=held)
            row.clean()
        except ValidationError:
            row.full_clean(exclude=held)
            raise
    if not _constraints_hold(rows):
        for row in rows:
            row.full_clean(exclude=held)


def rows_create_with_history(
    rows: Sequence[models.Model], *, user: AbstractBaseUser, reason: str
) -> None:
    """Insert validated rows of one model, and their history (`+`, `user`, `reason`), in two
    queries. Bulk writes send no signal: the caller bumps its plan's data version."""
    if rows:
        bulk_create_with_history(
            rows, type(rows[0]), default_user=user, default_change_reason=reason or None
        )


def rows_update_with_history(
    rows: Sequence[models.Model], fields: list[str], *, user: AbstractBaseUser, reason: str
) -> None:
    """Update `fields` of validated rows of one model, and write their history (`~`, `user`,
    `reason`), in two queries. No signal: the caller bumps its plan's data version."""
    if rows:
        bulk_update_with_history(
            rows, type(rows[0]), fields, default_user=user, default_change_reason=reason or None
        )


def rows_delete_with_history(
    rows: Sequence[models.Model], *, user: AbstractBaseUser, reason: str
) -> None:
    """Delete rows of one model, their history (`-`, `user`, `reason`) written first, in two
    queries. No signal: the caller bumps its plan's data version.

    Only for a model that no other row points to (nothing to cascade or protect); others are
    deleted one by one (delete_with_history).
    """
    if not rows:
        return
    model = type(rows[0])
    if model._meta.related_objects:
        for row in rows:
            delete_with_history(row, user=user, reason=reason)
        return
    history = get_history_model_for_model(model)
    now = timezone.now()
    history.objects.bulk_create(
        history(
            history_date=now,
            history_type="-",
            history_user=user,
            history_change_reason=reason or None,
            **{field.attname: getattr(row, field.attname) for field in history.tracked_fields},
        )
        for row in rows
    )
    # Django's own fast delete (no signal: simple_history's would write a second history row).
    model._base_manager.filter(pk__in=[row.pk for row in rows])._raw_delete(
        router.db_for_write(model)
    )


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
