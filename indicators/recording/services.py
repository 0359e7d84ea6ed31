"""Writes of the indicators app: values (with breakdowns and evidence), strategy states,
periods and targets.

Every function here is keyword-only, validates first and writes inside one transaction, so a
value and its breakdown are stored together or not at all.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import (
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    ReportingPeriod,
    StrategyProgress,
)
from indicators.recording.evidence import evidence_check_file
from indicators.recording.guard import (
    check_version,
    delete_with_history,
    period_lock_for_write,
    save_new,
    save_with_history,
)
from indicators.rules.kinds import kind_of
from indicators.rules.text_limits import REASON_MAX_CHARS
from plan.models import Strategy

# --- The write guard -----------------------------------------------------------------------


# --- Evidence ------------------------------------------------------------------------------


# --- Measurements --------------------------------------------------------------------------


def measurement_clean_values(
    *,
    indicator: Indicator,
    status: str,
    value: Decimal | None = None,
    breakdown: Mapping[int, Decimal] | None = None,
    narrative: str = "",
    explanation: str = "",
) -> tuple[Decimal | None, dict[int, Decimal]]:
    """Check a value against the indicator's kind; return (value, breakdown) to store.

    `breakdown` maps category ids to numbers (count by category). Errors are raised as a
    ValidationError whose keys are the measurement form's field names: "value", "level",
    "cat_<category id>", "breakdown", "narrative", "explanation", "status". The rules of
    each kind live in indicators/kinds.py.
    """
    try:
        value = None if value in (None, "") else Decimal(str(value))
        breakdown = {
            int(category_id): Decimal(str(number))
            for category_id, number in (breakdown or {}).items()
            if number not in (None, "")
        }
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"value": _("Enter a number.")}) from None
    if (value is not None and not value.is_finite()) or not all(
        number.is_finite() for number in breakdown.values()
    ):
        raise ValidationError({"value": _("Enter a number.")})
    if status not in MeasurementStatus.values:
        raise ValidationError({"status": _("Choose “recorded” or “not measured”.")})
    if status == MeasurementStatus.NOT_MEASURED:
        if not (explanation or "").strip():
            raise ValidationError({"explanation": _("Explain why the indicator was not measured.")})
        return None, {}
    return kind_of(indicator).clean(
        indicator, value=value, breakdown=breakdown, narrative=narrative or ""
    )


def measurement_previous_value(*, indicator: Indicator, period: ReportingPeriod) -> Decimal | None:
    """The value recorded for `indicator` in the period just before `period`, or None."""
    previous = (
        ReportingPeriod.objects.filter(plan_id=period.plan_id, start_date__lt=period.start_date)
        .order_by("-start_date")
        .first()
    )
    if previous is None:
        return None
    return (
        Measurement.objects.filter(
            indicator=indicator, period=previous, status=MeasurementStatus.RECORDED
        )
        .values_list("value", flat=True)
        .first()
    )


def measurement_check_plausible(
    *, indicator: Indicator, period: ReportingPeriod, value: Decimal | None, confirmed: bool = False
) -> str:
    """The confirmation text to store, "" when the value is plausible.

    A value the indicator's kind finds implausible (see IndicatorKind.plausibility_problem)
    raises ValidationError {"value": …} with code "implausible", unless `confirmed`.
    """
    problem = kind_of(indicator).plausibility_problem(
        indicator, value, previous=measurement_previous_value(indicator=indicator, period=period)
    )
    if problem is None:
        return ""
    if not confirmed:
        raise ValidationError(
            {
                "value": ValidationError(
                    _("%(problem)s Check it, or confirm it if it is right.") % {"problem": problem},
                    code="implausible",
                )
            }
        )
    return _("Value confirmed despite the check: %(problem)s") % {"problem": problem}


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    user: AbstractBaseUser,
    status: str = MeasurementStatus.RECORDED,
    value: Decimal | None = None,
    breakdown: Mapping[int, Decimal] | None = None,
    narrative: str = "",
    explanation: str = "",
    comment: str = "",
    reason: str = "",
    version: int | None = None,
    evidence_files: Iterable[UploadedFile] = (),
    evidence_links: Iterable[str] = (),
    confirmed: bool = False,
) -> Measurement:
    """Record or correct the value of `indicator` for `period`; return the measurement.

    - `value`: a Decimal for counts, levels (the level number), percentages and amounts;
      ignored for a count by category, whose total is derived from `breakdown`
      ({category id: Decimal}).
    - `version`: the version the person started from (0 for a new value). When it is not
      the current one, WriteConflict is raised with the current measurement. None
      skips the check (imports).
    - Correcting an existing value requires `reason`, stored in the history.
    - An implausible value (measurement_check_plausible) needs `confirmed=True`; the check
      confirmed is stored on the measurement (`plausibility_confirmation`), so in its history.
    Raises ValidationError (keys are the form's field names) and writes nothing on error.
    """
    period = period_lock_for_write(plan_id=indicator.result.orientation.plan_id, period=period)
    value, breakdown = measurement_clean_values(
        indicator=indicator,
        status=status,
        value=value,
        breakdown=breakdown,
        narrative=narrative,
        explanation=explanation,
    )
    existing = (
        Measurement.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, period=period)
        .select_related("updated_by")
        .first()
    )
    check_version(existing, version)
    reason = (reason or "").strip()
    try:
        # simple_history stores the reason in a varchar(100): check it before any write.
        MaxLengthValidator(REASON_MAX_CHARS)(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    if existing is not None and not reason:
        raise ValidationError(
            {"reason": _("A value was already recorded: give the reason for the change.")}
        )
    confirmation = (
        measurement_check_plausible(
            indicator=indicator, period=period, value=value, confirmed=confirmed
        )
        if status == MeasurementStatus.RECORDED
        else ""
    )

    now = timezone.now()
    if existing is None:
        measurement = Measurement(
            indicator=indicator, period=period, recorded_by=user, recorded_at=now, version=1
        )
    else:
        measurement = existing
        measurement.version += 1
    measurement.status = status
    measurement.value = value
    measurement.narrative = narrative or ""
    measurement.explanation = (
        (explanation or "") if status == MeasurementStatus.NOT_MEASURED else ""
    )
    measurement.comment = comment or ""
    measurement.plausibility_confirmation = confirmation
    measurement.updated_by = user
    measurement.updated_at = now
    if existing is None:
        save_new(
            lambda: save_with_history(measurement, user=user, reason=reason),
            find_current=Measurement.objects.filter(indicator=indicator, period=period).first,
        )
    else:
        save_with_history(measurement, user=user, reason=reason)

    # The breakdown is saved after its measurement, so that the history can pair them.
    current = {item.category_id: item for item in measurement.breakdowns.all()} if existing else {}
    for category_id, number in breakdown.items():
        item = current.pop(category_id, None)
        if item is None:
            item = MeasurementBreakdown(measurement=measurement, category_id=category_id)
        elif item.value == number:
            continue
        item.value = number
        save_with_history(item, user=user, reason=reason)
    for item in current.values():
        delete_with_history(item, user=user, reason=reason)

    for uploaded in evidence_files:
        try:
            content_type = evidence_check_file(uploaded)
        except ValidationError as error:
            raise ValidationError({"evidence_files": error.messages}) from None
        evidence = Evidence(
            measurement=measurement,
            file=uploaded,
            original_name=(uploaded.name or "")[:255],
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=user,
            uploaded_at=now,
        )
        evidence.full_clean()
        evidence.save()
    for link in evidence_links:
        evidence = Evidence(measurement=measurement, url=link, uploaded_by=user, uploaded_at=now)
        try:
            evidence.full_clean()
        except ValidationError as error:
            raise ValidationError({"evidence_links": error.messages}) from None
        evidence.save()
    return measurement


# --- Strategy states ---------------------------------------------------------------------


@transaction.atomic
def strategy_progress_record(
    *,
    strategy: Strategy,
    period: ReportingPeriod,
    state: str,
    note: str,
    user: AbstractBaseUser,
    version: int | None = None,
) -> StrategyProgress:
    """Record (or replace) a strategy's state for a period; the history keeps earlier ones.

    Same guard as the values: the period must belong to the strategy's plan and be open, and
    `version` (0 for a first state) must still be the saved one, else WriteConflict. None
    skips the version check. Raises ValidationError keyed by the form's field names.
    """
    period = period_lock_for_write(plan_id=strategy.orientation.plan_id, period=period)
    existing = (
        StrategyProgress.objects.select_for_update()
        .filter(strategy=strategy, period=period)
        .first()
    )
    check_version(existing, version)
    progress = existing or StrategyProgress(strategy=strategy, period=period, version=0)
    progress.state = state
    progress.note = note
    progress.recorded_by = user
    progress.recorded_at = timezone.now()
    progress.version += 1
    progress._history_user = user

    def save():
        progress.full_clean()
        progress.save()

    if existing is None:
        save_new(
            save,
            find_current=StrategyProgress.objects.filter(strategy=strategy, period=period).first,
        )
    else:
        save()
    return progress


# --- Targets -------------------------------------------------------------------------------
