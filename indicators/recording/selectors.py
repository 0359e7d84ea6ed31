"""Reusable reads of the indicators app: periods of a plan, history of an indicator, to-do list."""

import datetime
from typing import Any, TypedDict

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicators.models import (
    Evidence,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    MeasurementValidation,
    ReportingPeriod,
)
from indicators.rules.formatting import EMPTY, Formatter
from indicators.rules.kinds import kind_of
from plan.models import StrategicPlan

# (what changed, before, after), as shown in the history.
Change = tuple[str, str, str]


class HistoryEntry(TypedDict):
    """One saved version of an indicator's value for a period."""

    period: ReportingPeriod
    when: datetime.datetime
    who: AbstractBaseUser | None
    created: bool
    changes: list[Change]
    evidence: list[str]  # the files' names and the links attached with this version
    reason: str
    confirmation: str
    version: int


class TodoRow(TypedDict):
    """One line of « À saisir »: an indicator and its state for the period."""

    indicator: Indicator
    measurement: Measurement | None
    state: str  # STATE_RECORDED, STATE_MISSING or STATE_NOT_MEASURED
    mine: bool


def plan_periods(plan: StrategicPlan) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.of_plan(plan).order_by("start_date")


# --- History -------------------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(MeasurementStatus(status).label) if status in MeasurementStatus.values else status


def _validation_label(state: str) -> str:
    return (
        str(MeasurementValidation(state).label) if state in MeasurementValidation.values else state
    )


def _measurement_changes(indicator: Indicator, record, previous, fmt: Formatter) -> list[Change]:
    """(label, before, after) for each field that changed between two historical records."""
    kind = kind_of(indicator)
    fields = [
        (_("Status"), "status", _status_label),
        (_("Value"), "value", lambda value: kind.value_text(indicator, value, fmt=fmt)),
        (_("Narrative"), "narrative", str),
        (_("Explanation"), "explanation", str),
        (_("Comment"), "comment", str),
        # The validation step (issue 23): who validated or returned shows as the entry's person.
        (_("Validation"), "validation_state", _validation_label),
        (_("why it was returned"), "return_comment", str),
    ]
    changes = []
    for label, name, show in fields:
        after = getattr(record, name)
        before = getattr(previous, name) if previous is not None else None
        if before == after or (previous is None and after in (None, "")):
            continue
        if name in ("status", "validation_state") and previous is None:
            continue
        changes.append(
            (
                label,
                show(before) if before not in (None, "") else EMPTY,
                show(after) if after not in (None, "") else EMPTY,
            )
        )
    return changes


def indicator_history(indicator: Indicator) -> list[HistoryEntry]:
    """Every saved version of the indicator's values, newest first, in three queries.

    Each entry: period, when, who, created (bool), changes [(label, before, after)] for the
    measurement and its breakdown, the evidence attached with that version, and the reason
    given for a correction.
    """
    fmt = Formatter.active()
    versions = _measurement_versions(indicator, fmt)
    _add_breakdown_changes(versions, fmt)
    _add_evidence(versions)
    entries = [entry for by_measurement in versions.values() for _record, entry in by_measurement]
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries


# {measurement id: [(historical record, its entry)]}, oldest version first.
Versions = dict[int, list[tuple[Any, HistoryEntry]]]


def _measurement_versions(indicator: Indicator, fmt: Formatter) -> Versions:
    """One entry per historical record of the indicator's measurements (one query)."""
    records = (
        Measurement.history.filter(indicator_id=indicator.pk)
        .select_related("history_user", "period")
        .order_by("id", "history_date", "history_id")
    )
    versions: Versions = {}
    previous = None
    for record in records:
        if previous is None or previous.id != record.id:
            previous = None
        entry: HistoryEntry = {
            "period": record.period,
            "when": record.history_date,
            "who": record.history_user,
            "created": record.history_type == "+",
            "changes": _measurement_changes(indicator, record, previous, fmt),
            "evidence": [],
            "reason": record.history_change_reason or "",
            "confirmation": record.plausibility_confirmation,
            "version": record.version,
        }
        versions.setdefault(record.id, []).append((record, entry))
        previous = record
    return versions


def _add_breakdown_changes(versions: Versions, fmt: Formatter) -> None:
    """Each category's change, on the version saved with it (one query)."""
    breakdowns = (
        MeasurementBreakdown.history.filter(measurement_id__in=list(versions))
        .select_related("category")
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    for record in breakdowns:
        if previous is None or previous.id != record.id:
            previous = None
        # The breakdown is saved right after its measurement, in the same transaction.
        entry = _version_at(versions[record.measurement_id], record.history_date, "history_date")
        before = previous.value if previous is not None and previous.history_type != "-" else None
        after = record.value if record.history_type != "-" else None
        if before != after:
            entry["changes"].append(
                (
                    record.category.name if record.category else "?",
                    fmt.number(before),
                    fmt.number(after),
                )
            )
        previous = record


def _add_evidence(versions: Versions) -> None:
    """The evidence files and links, each on the version it was attached with (one query)."""
    evidence = Evidence.objects.filter(measurement_id__in=list(versions)).order_by("uploaded_at")
    for item in evidence:
        # Saved with the measurement: its time is the version's `updated_at`.
        entry = _version_at(versions[item.measurement_id], item.uploaded_at, "updated_at")
        entry["evidence"].append(str(item))


def _version_at(versions: list[tuple[Any, HistoryEntry]], when, field: str) -> HistoryEntry:
    """The entry of the last version whose `field` is at or before `when` (else the first)."""
    entry = versions[0][1]
    for record, candidate in versions:
        if getattr(record, field) <= when:
            entry = candidate
    return entry


# --- To-do list ----------------------------------------------------------------------------

STATE_RECORDED = "recorded"
STATE_MISSING = "missing"
STATE_NOT_MEASURED = "not_measured"


def todo_rows(
    *, plan: StrategicPlan, period: ReportingPeriod, user: AbstractBaseUser
) -> list[TodoRow]:
    """Every indicator of `plan` with its state for `period`, mine first, in three queries."""
    indicators = list(
        Indicator.objects.of_plan(plan)
        .select_related("result__orientation", "responsible")
        .prefetch_related("levels")
    )
    measurements = {
        measurement.indicator_id: measurement
        for measurement in Measurement.objects.filter(period=period).select_related("updated_by")
    }
    rows: list[TodoRow] = []
    for indicator in indicators:
        measurement = measurements.get(indicator.pk)
        if measurement is None:
            state = STATE_MISSING
        elif measurement.status == MeasurementStatus.NOT_MEASURED:
            state = STATE_NOT_MEASURED
        else:
            state = STATE_RECORDED
        rows.append(
            {
                "indicator": indicator,
                "measurement": measurement,
                "state": state,
                "mine": indicator.responsible_id == user.pk,
            }
        )
    rows.sort(
        key=lambda row: (
            not row["mine"],
            row["indicator"].result.number,
            row["indicator"].order,
        )
    )
    return rows
