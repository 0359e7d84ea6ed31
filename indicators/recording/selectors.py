"""Reusable reads of the indicators app: periods of a plan, history of an indicator, to-do list."""

import datetime
from typing import TypedDict

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicators.models import (
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
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


def _measurement_changes(indicator: Indicator, record, previous, fmt: Formatter) -> list[Change]:
    """(label, before, after) for each field that changed between two historical records."""
    kind = kind_of(indicator)
    fields = [
        (_("Status"), "status", _status_label),
        (_("Value"), "value", lambda value: kind.value_text(indicator, value, fmt=fmt)),
        (_("Narrative"), "narrative", str),
        (_("Explanation"), "explanation", str),
        (_("Comment"), "comment", str),
    ]
    changes = []
    for label, name, show in fields:
        after = getattr(record, name)
        before = getattr(previous, name) if previous is not None else None
        if before == after or (previous is None and after in (None, "")):
            continue
        if name == "status" and previous is None:
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
    """Every saved version of the indicator's values, newest first, in two queries.

    Each entry: period, when, who, created (bool), changes [(label, before, after)] for the
    measurement and its breakdown, and the reason given for a correction.
    """
    records = list(
        Measurement.history.filter(indicator_id=indicator.pk)
        .select_related("history_user", "period")
        .order_by("id", "history_date", "history_id")
    )
    by_measurement: dict[int, list[tuple[datetime.datetime, HistoryEntry]]] = {}
    entries: list[HistoryEntry] = []
    fmt = Formatter.active()
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
            "reason": record.history_change_reason or "",
            "confirmation": record.plausibility_confirmation,
            "version": record.version,
        }
        entries.append(entry)
        by_measurement.setdefault(record.id, []).append((record.history_date, entry))
        previous = record

    breakdowns = (
        MeasurementBreakdown.history.filter(measurement_id__in=list(by_measurement))
        .select_related("category")
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    for record in breakdowns:
        if previous is None or previous.id != record.id:
            previous = None
        versions = by_measurement[record.measurement_id]
        # The breakdown is saved right after its measurement, in the same transaction.
        entry = versions[0][1]
        for when, candidate in versions:
            if when <= record.history_date:
                entry = candidate
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
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries


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
