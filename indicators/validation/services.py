"""Writes of the validation step: validate a value, return it to its author with a comment.

Each write goes through the recording write guard: the plan's and the period's rows locked
(a closed plan or a locked period refuses), the value's row locked, its `version` checked
(WriteConflict when someone validated, returned or corrected it since the page was shown),
then saved with its history and one version more. Errors are ValidationError keyed by
"validation" (the state or the person does not allow it), "return_comment" or "period".
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Measurement, MeasurementValidation, ReportingPeriod
from indicators.notifications.validation import validation_returned_send
from indicators.recording.guard import (
    WriteConflict,
    check_version,
    period_lock_for_write,
    save_with_history,
)
from indicators.rules.text_limits import COMMENT_MAX_CHARS

VALIDATE_PERMISSION = "indicators.validate_measurement"


def can_validate(user) -> bool:
    """Whether `user` may validate or return values (the role « Coordination », or given)."""
    return user.has_perm(VALIDATE_PERMISSION)


def _locked_measurement(*, measurement_id: int, period: ReportingPeriod) -> Measurement | None:
    return (
        Measurement.objects.select_for_update(of=("self",))
        .filter(pk=measurement_id, period=period)
        .select_related("updated_by", "indicator")
        .first()
    )


def _refuse(message: str, code: str):
    raise ValidationError({"validation": ValidationError(message, code=code)})


def _check_pending(measurement: Measurement | None, version: int | None) -> Measurement:
    """The value is still the one the person saw, and it awaits validation."""
    if measurement is None:
        raise WriteConflict(None)
    check_version(measurement, version)
    if measurement.validation_state != MeasurementValidation.PENDING:
        _refuse(_("This value does not await validation."), "not_pending")
    return measurement


def _is_own(measurement: Measurement, user) -> bool:
    """The person recorded or last corrected this value."""
    return measurement.updated_by_id == user.pk


def _validate_locked(measurement: Measurement, *, user, version, now) -> Measurement:
    _check_pending(measurement, version)
    own = _is_own(measurement, user)
    plan = measurement.period.plan
    if own and not plan.self_validation_allowed:
        _refuse(_("Nobody validates their own value: ask another coordinator."), "own_value")
    measurement.validation_state = MeasurementValidation.VALIDATED
    measurement.validated_by = user
    measurement.validated_at = now
    measurement.return_comment = ""
    measurement.version += 1
    reason = _("self-validated") if own else _("validated")
    save_with_history(measurement, user=user, reason=reason)
    return measurement


@transaction.atomic
def measurement_validate(
    *, measurement: Measurement, user: AbstractBaseUser, version: int | None
) -> Measurement:
    """Validate one value « à valider »; return it saved as « validée ».

    `version`: the version the coordinator saw (None skips the check). Refused (ValidationError
    keyed by "validation") when the value does not await validation, or is the coordinator's
    own and the plan does not allow self-validation (the history then says « auto-validée »).
    """
    if not can_validate(user):
        raise PermissionDenied
    period = period_lock_for_write(plan_id=measurement.period.plan_id, period=measurement.period)
    current = _locked_measurement(measurement_id=measurement.pk, period=period)
    if current is not None:
        current.period = period
    return _validate_locked(current, user=user, version=version, now=timezone.now())


@transaction.atomic
def measurement_return(
    *, measurement: Measurement, user: AbstractBaseUser, version: int | None, comment: str
) -> Measurement:
    """Return a value « à valider » to its author with `comment`; the author is told by e-mail.

    The comment is required; the value stays as it is, « retournée », until its author
    corrects it (then « à valider » again). A coordinator returns even their own value.
    """
    if not can_validate(user):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"return_comment": ValidationError(_("Say why the value is returned."), "required")}
        )
    try:
        MaxLengthValidator(COMMENT_MAX_CHARS)(comment)
    except ValidationError as error:
        raise ValidationError({"return_comment": error.error_list}) from None
    period = period_lock_for_write(plan_id=measurement.period.plan_id, period=measurement.period)
    current = _check_pending(
        _locked_measurement(measurement_id=measurement.pk, period=period), version
    )
    current.validation_state = MeasurementValidation.RETURNED
    current.validated_by = user
    current.validated_at = timezone.now()
    current.return_comment = comment
    current.version += 1
    save_with_history(current, user=user, reason=_("returned"))
    author, returned = current.updated_by, current
    transaction.on_commit(
        lambda: validation_returned_send(measurement=returned, author=author, returned_by=user)
    )
    return current


@dataclass
class BulkOutcome:
    """What one click did: the values validated, and each refused one with why."""

    validated: list[Measurement] = field(default_factory=list)
    # (measurement id, the reason in words, the value as saved now or None)
    refused: list[tuple[int, str, Measurement | None]] = field(default_factory=list)


@transaction.atomic
def measurements_validate(
    *, period: ReportingPeriod, user: AbstractBaseUser, versions: Mapping[int, int]
) -> BulkOutcome:
    """Validate every value of `period` named in `versions` ({measurement id: version seen}).

    One transaction under one lock of the period; each value is checked as
    measurement_validate checks it. A value changed since the page was shown, or that may
    not be validated, is left as it is and listed in `refused` with the reason; the others
    are validated.
    """
    if not can_validate(user):
        raise PermissionDenied
    period = period_lock_for_write(plan_id=period.plan_id, period=period)
    rows = {
        m.pk: m
        for m in Measurement.objects.select_for_update(of=("self",))
        .filter(pk__in=list(versions), period=period)
        .select_related("updated_by", "indicator")
        .order_by("pk")
    }
    outcome, now = BulkOutcome(), timezone.now()
    for measurement_id in sorted(versions):
        measurement = rows.get(measurement_id)
        if measurement is not None:
            measurement.period = period
        try:
            with transaction.atomic():
                outcome.validated.append(
                    _validate_locked(
                        measurement, user=user, version=versions[measurement_id], now=now
                    )
                )
        except WriteConflict as conflict:
            outcome.refused.append((measurement_id, _conflict_text(conflict), conflict.current))
        except ValidationError as error:
            outcome.refused.append((measurement_id, " ".join(error.messages), measurement))
    return outcome


def _conflict_text(conflict: WriteConflict) -> str:
    current = conflict.current
    if current is None:
        return _("This value was deleted since the page was shown.")
    person = current.validated_by or current.updated_by
    return _(
        "%(person)s changed this value’s validation or the value itself since the page was "
        "shown: it is now “%(state)s”. Nothing was changed."
    ) % {
        "person": person.get_full_name() or person.get_username(),
        "state": current.get_validation_state_display(),
    }
