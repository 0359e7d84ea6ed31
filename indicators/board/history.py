"""What changed in a plan's values: corrections, the values as they were, status changes.

Pure functions over the measurements' historical records (data.load_measurement_history,
oldest first) and over {indicator pk: Assessment} maps (status.assess_all); since.py puts them
together for « depuis la dernière rencontre ».
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.board.status import Assessment
from indicators.models import MeasurementStatus


@dataclass
class Correction:
    """A reported value changed afterwards, with the reason given for the change."""

    indicator: object
    period: object
    old_value: Decimal | None
    new_value: Decimal | None
    old_status: str
    new_status: str
    changed_at: object
    changed_by: object
    reason: str

    @property
    def was_not_measured(self):
        return self.old_status == MeasurementStatus.NOT_MEASURED

    @property
    def is_not_measured(self):
        return self.new_status == MeasurementStatus.NOT_MEASURED


@dataclass
class StatusChange:
    indicator: object
    before: Assessment
    after: Assessment


def history_by_measurement(records):
    grouped = {}
    for record in records:
        grouped.setdefault(record.id, []).append(record)
    return grouped


def _is_correction(previous, record, *, since):
    """Whether `record` (a "~" change after `previous`) changed a reported value or answer,
    from the moment asked for. Filling a value that was empty is no correction."""
    if record.history_type != "~":
        return False
    if since is not None and record.history_date < since:
        return False
    same = previous.value == record.value and previous.status == record.status
    return not (same or (previous.value is None and previous.status == record.status))


def corrections(records, *, indicators, periods, since=None):
    """Changes ("~" records after a measurement's first) to a reported value or answer.

    `since`: only changes made from this datetime (itself included).
    A change that only fills a value that was empty is not a correction.
    """
    found = []
    for history in history_by_measurement(records).values():
        for previous, record in zip(history, history[1:], strict=False):
            if not _is_correction(previous, record, since=since):
                continue
            if record.indicator_id not in indicators or record.period_id not in periods:
                continue
            found.append(
                Correction(
                    indicator=indicators[record.indicator_id],
                    period=periods[record.period_id],
                    old_value=previous.value,
                    new_value=record.value,
                    old_status=previous.status,
                    new_status=record.status,
                    changed_at=record.history_date,
                    changed_by=record.history_user,
                    reason=record.history_change_reason or "",
                )
            )
    found.sort(key=lambda c: c.changed_at, reverse=True)
    return found


def snapshot_before(records, moment):
    """{indicator pk: {period pk: historical record}}: the measurements as they were just
    before `moment` (what was written at `moment` itself counts as a change since then)."""
    snapshot = {}
    for history in history_by_measurement(records).values():
        known = [r for r in history if r.history_date < moment]
        if known and known[-1].history_type != "-":
            record = known[-1]
            snapshot.setdefault(record.indicator_id, {})[record.period_id] = record
    return snapshot


def status_changes(indicators, before, after):
    """Indicators whose status differs between two {indicator pk: Assessment} maps."""
    return [
        StatusChange(indicator, before[indicator.pk], after[indicator.pk])
        for indicator in indicators
        if before[indicator.pk].status != after[indicator.pk].status
    ]
