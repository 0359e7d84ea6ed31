"""Writes of the indicators app: values (with breakdowns and evidence), strategy states,
periods and targets.

Every function here is keyword-only, validates first and writes inside one transaction, so a
value and its breakdown are stored together or not at all.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import uploads
from indicators.kinds import kind_of
from indicators.models import (
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    ReportingPeriod,
    StrategyProgress,
    Target,
)
from indicators.numbers import parse_number
from indicators.periods import period_problem
from indicators.text_limits import REASON_MAX_CHARS
from plan.models import StrategicPlan, Strategy


class WriteConflict(Exception):
    """Someone else saved the same thing (a value, a strategy's state) since it was read.

    `current` is what is saved now (None if it was deleted), to show the person.
    """

    def __init__(self, current):
        super().__init__("changed since it was read")
        self.current = current


# --- The write guard -----------------------------------------------------------------------


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


def _check_version(existing: Measurement | StrategyProgress | None, version: int | None) -> None:
    """Optimistic concurrency: `version` is what the person started from (0: nothing yet)."""
    if version is not None and version != (existing.version if existing else 0):
        raise WriteConflict(existing)


def _save_new(save: Callable[[], None], *, find_current: Callable[[], object]) -> None:
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


@transaction.atomic
def period_set_locked(*, period: ReportingPeriod, locked: bool) -> ReportingPeriod:
    """Lock (or unlock) a reporting period; staff can no longer change a locked period."""
    # Waits for writes in progress in this period (they hold its row, see period_lock_for_write).
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
    period.is_locked = locked
    period.full_clean()
    period.save(update_fields=["is_locked"])
    return period


@transaction.atomic
def plan_create_default_periods(*, plan: StrategicPlan) -> list[ReportingPeriod]:
    """Create the plan's yearly periods (1 April – 31 March) that do not exist yet.

    Returns the periods created; periods that would overlap an existing one are skipped.
    """
    created = []
    for year in range(plan.start_year, plan.end_year):
        period = ReportingPeriod(
            plan=plan,
            name=f"{year}-{year + 1}",
            start_date=datetime.date(year, 4, 1),
            end_date=datetime.date(year + 1, 3, 31),
        )
        try:
            period.full_clean()
        except ValidationError:
            continue
        period.save()
        created.append(period)
    return created


# --- Evidence ------------------------------------------------------------------------------


def _zip_names(uploaded):
    """Members and `mimetype` of an archive; ValidationError when it would inflate too much."""
    try:
        with uploads.open_zip(uploaded, limits=uploads.EVIDENCE_LIMITS) as archive:
            names = set(archive.namelist())
            mimetype = (
                uploads.read_member(archive, "mimetype", limit=255).decode("ascii", "replace")
                if "mimetype" in names
                else ""
            )
            return names, mimetype.strip()
    except uploads.ArchiveUnreadable:
        return set(), ""


def _is_ooxml(part):
    def check(uploaded, head):
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, _mimetype = _zip_names(uploaded)
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)

    return check


def _is_opendocument(mimetype):
    def check(uploaded, head):
        return head.startswith(b"PK\x03\x04") and _zip_names(uploaded)[1] == mimetype

    return check


def _is_text(uploaded, head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


# Extension → (content type stored and served, check of the file's first bytes).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", lambda uploaded, head: head.startswith(b"%PDF-")),
    ".png": ("image/png", lambda uploaded, head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda uploaded, head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda uploaded, head: head.startswith(b"\xff\xd8\xff")),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _is_ooxml("xl/"),
    ),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _is_ooxml("word/"),
    ),
    ".odt": (
        "application/vnd.oasis.opendocument.text",
        _is_opendocument("application/vnd.oasis.opendocument.text"),
    ),
    ".ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        _is_opendocument("application/vnd.oasis.opendocument.spreadsheet"),
    ),
    ".csv": ("text/csv", _is_text),
    ".txt": ("text/plain", _is_text),
}


def evidence_check_file(uploaded: UploadedFile) -> str:
    """Return the content type of an acceptable evidence file, or raise ValidationError.

    The type is checked on the file's content (its first bytes), not only on its name.
    """
    name = uploaded.name or ""
    if uploaded.size is not None and uploaded.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
            code="too_large",
        )
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    forbidden = ValidationError(
        _(
            "The file “%(name)s” is not of an accepted type. Accepted: PDF, PNG or JPEG "
            "images, XLSX, DOCX, ODT, ODS, CSV or TXT."
        )
        % {"name": name},
        code="forbidden_type",
    )
    if suffix not in EVIDENCE_TYPES:
        raise forbidden
    content_type, check = EVIDENCE_TYPES[suffix]
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    matches = check(uploaded, head)
    uploaded.seek(0)
    if not matches:
        raise ValidationError(
            _("The content of “%(name)s” does not match its type (%(type)s).")
            % {"name": name, "type": suffix[1:].upper()},
            code="content_mismatch",
        )
    return content_type


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


def target_value_problem(
    *, indicator: Indicator, value: Decimal | None, levels: Iterable[int] | None = None
) -> str | None:
    """Why `value` cannot be a target (or baseline) of `indicator`, or None when it can.

    `levels`: the scale's level numbers, when they are not saved yet (admin inlines).
    """
    if value is None:
        return None
    return kind_of(indicator).target_problem(indicator, value, levels=levels)


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


def _save_with_history(instance: models.Model, *, user: AbstractBaseUser, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason or None
    instance.full_clean()
    instance.save()


def _delete_with_history(instance: models.Model, *, user: AbstractBaseUser, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason or None
    instance.delete()


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
    _check_version(existing, version)
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
        _save_new(
            lambda: _save_with_history(measurement, user=user, reason=reason),
            find_current=Measurement.objects.filter(indicator=indicator, period=period).first,
        )
    else:
        _save_with_history(measurement, user=user, reason=reason)

    # The breakdown is saved after its measurement, so that the history can pair them.
    current = {item.category_id: item for item in measurement.breakdowns.all()} if existing else {}
    for category_id, number in breakdown.items():
        item = current.pop(category_id, None)
        if item is None:
            item = MeasurementBreakdown(measurement=measurement, category_id=category_id)
        elif item.value == number:
            continue
        item.value = number
        _save_with_history(item, user=user, reason=reason)
    for item in current.values():
        _delete_with_history(item, user=user, reason=reason)

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
    _check_version(existing, version)
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
        _save_new(
            save,
            find_current=StrategyProgress.objects.filter(strategy=strategy, period=period).first,
        )
    else:
        save()
    return progress


# --- Targets -------------------------------------------------------------------------------


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
                _delete_with_history(target, user=user, reason=reason)
                deleted += 1
            continue
        if target is None:
            target = Target(indicator=indicator, period=period)
        elif target.value == value:
            continue
        target.value = value
        _save_with_history(target, user=user, reason=reason)
        changed += 1
    return changed, deleted
