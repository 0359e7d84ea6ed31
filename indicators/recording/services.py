"""Writes of recorded data: values (with breakdowns and evidence) and strategy states.

Every function here is keyword-only. `measurement_check` validates a value without writing
(no row locks), for forms and previews; `measurement_record` takes the write guard's locks,
checks again on the locked rows and writes inside one transaction, so a value and its
breakdown are stored together or not at all.

Errors are ValidationError keyed by meaning, whoever asks (a form, a spreadsheet):
"period", "status", "value" (a number or a level), "breakdown" (params: category_id,
category, problem when one category is wrong), "narrative", "explanation", "comment",
"reason", "evidence_files", "evidence_links". An implausible value has code "implausible".
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import (
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    MeasurementValidation,
    ReportingPeriod,
    StrategyProgress,
)
from indicators.recording.evidence import CheckedFile, evidence_checked
from indicators.recording.guard import (
    check_version,
    period_lock_for_write,
    rows_create_with_history,
    rows_delete_with_history,
    rows_update_with_history,
    rows_validate,
    save_new,
    save_validated_with_history,
)
from indicators.rules.kinds import kind_of
from indicators.rules.periods import period_problem
from indicators.rules.text_limits import (
    COMMENT_MAX_CHARS,
    EXPLANATION_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    REASON_MAX_CHARS,
)
from plan.models import Strategy
from plan.versions import plan_data_changed

# --- Checking a value (writes nothing) -------------------------------------------------------


class _Unread:
    """`existing` not given: measurement_check reads the saved row itself."""

    def __repr__(self) -> str:
        return "UNREAD"


UNREAD: Any = _Unread()

TEXT_LIMITS = {
    "narrative": NARRATIVE_MAX_CHARS,
    "explanation": EXPLANATION_MAX_CHARS,
    "comment": COMMENT_MAX_CHARS,
    "reason": REASON_MAX_CHARS,
}


@dataclass(frozen=True)
class MeasurementChange:
    """A checked value, ready to be written: what measurement_record stores."""

    indicator: Indicator
    period: ReportingPeriod
    status: str
    value: Decimal | None
    breakdown: dict[int, Decimal]
    narrative: str
    explanation: str
    comment: str
    reason: str
    # The plausibility check the person confirmed ("" when the value is plausible).
    confirmation: str
    existing: Measurement | None
    evidence_files: tuple[CheckedFile, ...] = ()
    evidence_links: tuple[str, ...] = ()


def _breakdown_by_meaning(indicator: Indicator, error: ValidationError) -> ValidationError:
    """The kind's errors keyed by meaning: "level" is the value, "cat_<id>" the breakdown."""
    names = {}
    if indicator.dimension_id:
        names = {category.pk: category.name for category in indicator.dimension.categories.all()}
    errors: dict[str, list[ValidationError]] = {}
    for key, messages in error.error_dict.items():
        if key == "level":
            errors.setdefault("value", []).extend(messages)
        elif key.startswith("cat_"):
            category_id = int(key.removeprefix("cat_"))
            errors.setdefault("breakdown", []).extend(
                ValidationError(
                    _("%(category)s: %(problem)s"),
                    code=message.code,
                    params={
                        "category": names.get(category_id, category_id),
                        "category_id": category_id,
                        "problem": next(iter(message)),
                    },
                )
                for message in messages
            )
        else:
            errors.setdefault(key, []).extend(messages)
    return ValidationError(errors)


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

    `breakdown` maps category ids to numbers (count by category). Raises ValidationError
    keyed by meaning ("status", "value", "breakdown", "narrative", "explanation"); the rules
    of each kind live in rules/kinds.py.
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
    try:
        return kind_of(indicator).clean(
            indicator, value=value, breakdown=breakdown, narrative=narrative or ""
        )
    except ValidationError as error:
        raise _breakdown_by_meaning(indicator, error) from None


def measurement_previous_value(*, indicator: Indicator, period: ReportingPeriod) -> Decimal | None:
    """The value recorded for `indicator` in the period just before `period`, or None (one
    query: a plan's periods have distinct start dates)."""
    before = (
        ReportingPeriod.objects.filter(plan_id=period.plan_id, start_date__lt=period.start_date)
        .order_by("-start_date")
        .values("pk")[:1]
    )
    return (
        Measurement.objects.filter(
            indicator=indicator, period=Subquery(before), status=MeasurementStatus.RECORDED
        )
        .values_list("value", flat=True)
        .order_by("pk")  # one row at most: no joins for the model's ordering
        .first()
    )


def measurement_check_plausible(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    value: Decimal | None,
    confirmed: bool = False,
    previous: Decimal | None = UNREAD,
) -> str:
    """The confirmation text to store, "" when the value is plausible.

    A value the indicator's kind finds implausible (see IndicatorKind.plausibility_problem)
    raises ValidationError {"value": …} with code "implausible", unless `confirmed`. No value
    (not measured, qualitative) has nothing to check. `previous`: the previous period's
    value if the caller read it (measurement_previous_value), else it is read here.
    """
    if value is None:
        return ""
    if previous is UNREAD:
        previous = measurement_previous_value(indicator=indicator, period=period)
    problem = kind_of(indicator).plausibility_problem(indicator, value, previous=previous)
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


def _values_check(errors: dict, **typed) -> tuple[Decimal | None, dict[int, Decimal]]:
    """measurement_clean_values, its errors added to `errors` (then nothing to store)."""
    try:
        return measurement_clean_values(**typed)
    except ValidationError as error:
        for key, messages in error.error_dict.items():
            errors.setdefault(key, []).extend(messages)
        return None, {}


def _texts_check(texts: Mapping[str, str], errors: dict[str, list]) -> dict[str, str]:
    """The texts stripped of nothing but None; over-long ones add to `errors`."""
    texts = {name: text or "" for name, text in texts.items()}
    texts["reason"] = texts["reason"].strip()
    for name, text in texts.items():
        try:
            # simple_history stores the reason in a varchar(100): checked before any write.
            MaxLengthValidator(TEXT_LIMITS[name])(text)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.error_list)
    return texts


def _files_check(files: Iterable[UploadedFile | CheckedFile], errors: dict) -> tuple:
    """Each evidence file with its content type, sniffed once; refused ones add to `errors`."""
    checked = []
    for uploaded in files:
        try:
            checked.append(evidence_checked(uploaded))
        except ValidationError as error:
            errors.setdefault("evidence_files", []).extend(error.error_list)
    return tuple(checked)


def _links_check(links: Iterable[str], errors: dict) -> tuple[str, ...]:
    """The evidence links, each a web address (http or https) that fits the database."""
    validate = URLValidator(schemes=["http", "https"])
    limit = MaxLengthValidator(Evidence._meta.get_field("url").max_length)
    links = tuple(link.strip() for link in links if link and link.strip())
    for link in links:
        try:
            validate(link)
            limit(link)
        except ValidationError:
            errors.setdefault("evidence_links", []).append(
                ValidationError(
                    _("“%(link)s” is not a valid web address (https://…).") % {"link": link},
                    code="invalid",
                )
            )
    return links


def _existing_check(indicator, period, existing, version, reason, errors) -> Measurement | None:
    """The saved row (read when not given); raise WriteConflict on a stale `version`.

    A conflict waits for the other errors of what was typed, which are shown first.
    """
    if existing is UNREAD:
        existing = (
            Measurement.objects.filter(indicator=indicator, period=period)
            .select_related("updated_by")
            .order_by("pk")  # one row at most: no joins for the model's ordering
            .first()
        )
    if errors and version is not None and version != (existing.version if existing else 0):
        raise ValidationError(errors)
    check_version(existing, version)
    if existing is not None and not reason:
        errors.setdefault("reason", []).append(
            ValidationError(
                _("A value was already recorded: give the reason for the change."),
                code="required",
            )
        )
    return existing


def measurement_check(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    status: str,
    value: Decimal | None = None,
    breakdown: Mapping[int, Decimal] | None = None,
    narrative: str = "",
    explanation: str = "",
    comment: str = "",
    reason: str = "",
    version: int | None = None,
    confirmed: bool = False,
    evidence_files: Iterable[UploadedFile | CheckedFile] = (),
    evidence_links: Iterable[str] = (),
    existing: Measurement | None = UNREAD,
    previous: Decimal | None = UNREAD,
) -> MeasurementChange:
    """Check a value for `indicator` and `period` as measurement_record would; write nothing.

    No lock: forms and previews ask it; measurement_record asks it again on the locked rows.
    `existing` (the saved row, None: none) and `previous` (measurement_previous_value) as
    the caller read them, else read here. All problems of what was typed are raised at once
    (keyed by meaning); then a stale `version` raises WriteConflict; then an implausible
    value needs `confirmed`."""
    problem = period_problem(plan_id=indicator.result.orientation.plan_id, period=period)
    errors = {"period": [ValidationError(problem, code="period")]} if problem else {}
    typed = {"status": status, "value": value, "breakdown": breakdown}
    value, breakdown = _values_check(
        errors, indicator=indicator, narrative=narrative, explanation=explanation, **typed
    )
    texts = _texts_check(
        {"narrative": narrative, "explanation": explanation, "comment": comment, "reason": reason},
        errors,
    )
    files = _files_check(evidence_files, errors)
    links = _links_check(evidence_links, errors)
    if not problem:
        existing = _existing_check(indicator, period, existing, version, texts["reason"], errors)
    if errors:
        raise ValidationError(errors)
    confirmation = measurement_check_plausible(
        indicator=indicator, period=period, value=value, confirmed=confirmed, previous=previous
    )
    return MeasurementChange(
        indicator=indicator,
        period=period,
        status=status,
        value=value,
        breakdown=breakdown,
        confirmation=confirmation,
        existing=existing,
        evidence_files=files,
        evidence_links=links,
        **texts,
    )


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
    evidence_files: Iterable[UploadedFile | CheckedFile] = (),
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
    The write guard locks the plan and the period, then measurement_check runs on the locked
    rows. Raises its ValidationError (keyed by meaning) and writes nothing on error.
    """
    period = period_lock_for_write(plan_id=indicator.result.orientation.plan_id, period=period)
    existing = (
        Measurement.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, period=period)
        .select_related("updated_by")
        .order_by("pk")  # one row at most: no joins for the model's ordering
        .first()
    )
    change = measurement_check(
        indicator=indicator,
        period=period,
        status=status,
        value=value,
        breakdown=breakdown,
        narrative=narrative,
        explanation=explanation,
        comment=comment,
        reason=reason,
        version=version,
        confirmed=confirmed,
        evidence_files=evidence_files,
        evidence_links=evidence_links,
        existing=existing,
    )
    return _measurement_write(change, user=user)


def _measurement_write(change: MeasurementChange, *, user) -> Measurement:
    """Validate and write a checked value: its measurement, categories and evidence."""
    measurement = _measurement_row(change, user=user, now=timezone.now())
    breakdown = _breakdown_rows(measurement, change)
    # One validation for the row, the measurement and its categories together, without a
    # query per constraint; the locked period, the indicator, the person and the measurement
    # just read are held (their existence is not read again).
    rows_validate(
        [measurement, *breakdown.created, *breakdown.changed],
        held=("indicator", "period", "recorded_by", "updated_by", "measurement", "category"),
    )
    _measurement_save(measurement, change, user=user)
    _breakdown_save(measurement, breakdown, change, user=user)
    _evidence_save(measurement, change, user=user, now=measurement.updated_at)
    return measurement


def _measurement_row(change: MeasurementChange, *, user, now) -> Measurement:
    """The measurement row to write (version 1, or one more than the row it corrects)."""
    existing = change.existing
    if existing is None:
        measurement = Measurement(
            indicator=change.indicator,
            period=change.period,
            recorded_by=user,
            recorded_at=now,
            version=1,
        )
    else:
        measurement = existing
        measurement.version += 1
        # The locked period (what the board's cache asks after the save: not read again).
        measurement.period = change.period
    measurement.status = change.status
    measurement.value = change.value
    measurement.narrative = change.narrative
    measurement.explanation = (
        change.explanation if change.status == MeasurementStatus.NOT_MEASURED else ""
    )
    measurement.comment = change.comment
    measurement.plausibility_confirmation = change.confirmation
    measurement.updated_by = user
    measurement.updated_at = now
    _validation_reset(measurement, plan=change.period.plan)
    return measurement


def _measurement_save(measurement: Measurement, change: MeasurementChange, *, user) -> None:
    """Write the measurement row (validated); a new one that someone else created a moment
    ago raises WriteConflict."""
    if change.existing is None:
        save_new(
            lambda: save_validated_with_history(measurement, user=user, reason=change.reason),
            find_current=Measurement.objects.filter(
                indicator=change.indicator, period=change.period
            ).first,
        )
    else:
        save_validated_with_history(measurement, user=user, reason=change.reason)


def _validation_reset(measurement: Measurement, *, plan) -> None:
    """A value recorded or corrected is « à valider » when its plan has the validation step.

    Who validated or returned the earlier version stays in the history.
    """
    if plan.validation_enabled:
        measurement.validation_state = MeasurementValidation.PENDING
    else:
        measurement.validation_state = MeasurementValidation.NOT_REQUIRED
    measurement.validated_by = None
    measurement.validated_at = None
    measurement.return_comment = ""


@dataclass(frozen=True)
class BreakdownRows:
    """The categories' rows to write: new, changed, removed (unchanged ones are left)."""

    created: list[MeasurementBreakdown]
    changed: list[MeasurementBreakdown]
    removed: list[MeasurementBreakdown]


def _breakdown_rows(measurement: Measurement, change: MeasurementChange) -> BreakdownRows:
    """Compare the breakdown typed with the saved one (read under the measurement's lock)."""
    current = (
        {item.category_id: item for item in measurement.breakdowns.all()} if change.existing else {}
    )
    created, changed = [], []
    for category_id, number in change.breakdown.items():
        item = current.pop(category_id, None)
        if item is None:
            created.append(MeasurementBreakdown(category_id=category_id, value=number))
        elif item.value != number:
            item.value = number
            changed.append(item)
    return BreakdownRows(created=created, changed=changed, removed=list(current.values()))


def _breakdown_save(
    measurement: Measurement, rows: BreakdownRows, change: MeasurementChange, *, user
) -> None:
    """Write the breakdown after its measurement, so that the history can pair them: a few
    bulk queries, whatever the number of categories."""
    for item in rows.created:
        item.measurement = measurement
    rows_create_with_history(rows.created, user=user, reason=change.reason)
    rows_update_with_history(rows.changed, ["value"], user=user, reason=change.reason)
    rows_delete_with_history(rows.removed, user=user, reason=change.reason)
    if rows.created or rows.changed or rows.removed:
        # Bulk writes send no signal (the measurement's save did already; explicit all the same).
        plan_data_changed(plan_ids=[change.period.plan_id])


def _evidence_save(measurement: Measurement, change: MeasurementChange, *, user, now) -> None:
    """Attach the checked evidence files (with their sniffed type) and links."""
    for checked in change.evidence_files:
        evidence = Evidence(
            measurement=measurement,
            file=checked.file,
            original_name=(checked.file.name or "")[:255],
            content_type=checked.content_type,
            size=checked.file.size,
            uploaded_by=user,
            uploaded_at=now,
        )
        evidence.full_clean()
        evidence.save()
    for link in change.evidence_links:
        evidence = Evidence(measurement=measurement, url=link, uploaded_by=user, uploaded_at=now)
        evidence.full_clean()
        evidence.save()


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
