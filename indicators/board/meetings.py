"""Reads about board meetings: the last meeting, what the board saw then, later corrections.

Writes (creating a meeting, presenting it, removing a pack) are in indicators/board/services.py.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from indicators.board import summary
from indicators.board.models import Meeting, MeetingPack
from indicators.board.status import Status
from indicators.board.stories import snippet
from indicators.models import Indicator, Measurement, MeasurementStatus, ScaleLevel
from indicators.rules.formatting import EMPTY
from indicators.rules.periods import previous_period
from indicators.rules.typography import date_text


def meetings_of(plan):
    return list(Meeting.objects.of_plan(plan).select_related("period", "pack"))


def meetings_held_before(plan, day):
    """The plan's meetings held before `day`, the latest first (1 query)."""
    return list(Meeting.objects.of_plan(plan).before(day).select_related("period"))


def last_pack_before(plan, day):
    """The pack of the latest presented meeting held before `day` (1 query), or None."""
    return (
        MeetingPack.objects.filter(meeting__plan=plan, meeting__date__lt=day)
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting__pk")
        .first()
    )


def meeting_words(meeting_date):
    """« la rencontre du 15 mars 2025 »."""
    return gettext("the meeting of %(date)s") % {"date": date_text(meeting_date)}


@dataclass(frozen=True)
class ComparedWith:
    """What the summary's changes are compared with, as data: a meeting's date or a period's
    name (neither: nothing to compare with). Worded in the reader's language by str();
    `text` is the French wording a pack frozen before packs were data kept (migration 0002).
    """

    meeting_date: datetime.date | None = None
    period_name: str = ""
    text: str = ""

    def __str__(self):
        if self.meeting_date is not None:
            return gettext("since %(meeting)s") % {"meeting": meeting_words(self.meeting_date)}
        if self.period_name:
            return gettext("since period %(period)s") % {"period": self.period_name}
        return self.text

    def as_data(self):
        """JSON-ready: {"meeting": ISO date} | {"period": name} | {"text": words} | None."""
        if self.meeting_date is not None:
            return {"meeting": self.meeting_date.isoformat()}
        if self.period_name:
            return {"period": self.period_name}
        return {"text": self.text} if self.text else None

    @classmethod
    def from_data(cls, data):
        data = data or {}
        if data.get("meeting"):
            return cls(meeting_date=datetime.date.fromisoformat(data["meeting"]))
        return cls(period_name=data.get("period", ""), text=data.get("text", ""))


def pack_statuses(pack):
    """{indicator pk: (status, label)} as frozen in `pack` (the label in the reader's language)."""
    return {
        row["id"]: (row["status"], Status(row["status"]).label) for row in pack_rows(pack.content)
    }


def baseline_for_summary(data, period, today, *, before_day=None, exclude_meeting=None):
    """({indicator pk: (status, label)}, ComparedWith) the summary compares with: what the
    board saw at the last presented meeting before `before_day` (default: today), else the
    previous period's statuses.
    """
    pack = last_pack_before(data.plan, before_day or today)
    if pack is not None and exclude_meeting is not None and pack.meeting_id == exclude_meeting:
        pack = None
    if pack is not None:
        return pack_statuses(pack), ComparedWith(meeting_date=pack.meeting.date)
    previous = previous_period(data.periods, period)
    if previous is None:
        return {}, ComparedWith()
    return summary.statuses_of_period(data, previous, today), ComparedWith(
        period_name=previous.name
    )


def pack_rows(content):
    return [
        row
        for orientation in content["orientations"]
        for result in orientation["results"]
        for row in result["indicators"]
    ]


# --------------------------------------------------------------------------------------
# Corrections made after a pack was frozen
# --------------------------------------------------------------------------------------


@dataclass
class PackCorrection:
    """A value shown in a pack (or counted in it) that changed after the pack was frozen."""

    indicator_id: int
    wording: str
    period_name: str
    old_text: str
    new_text: str
    changed_at: object
    changed_by: object
    reason: str

    @property
    def changed_by_name(self):
        user = self.changed_by
        if user is None:
            return ""
        return user.get_full_name() or user.get_username()


def _shown(record, indicator, levels):
    """A historical measurement in words (None: no value at that moment)."""
    if record is None or record.history_type == "-":
        return EMPTY
    if record.status == MeasurementStatus.NOT_MEASURED:
        return gettext("not measured: %(why)s") % {"why": snippet(record.explanation, 80)}
    if record.value is None:
        return snippet(record.narrative, 80) if record.narrative else EMPTY
    return indicator.kind_spec.value_text(indicator, record.value, levels=levels)


def _same(before, after):
    if before is None or after is None:
        return False
    return (
        before.value == after.value
        and before.status == after.status
        and before.narrative == after.narrative
        and before.explanation == after.explanation
    )


def pack_corrections(pack):
    """Changes after `pack` was frozen to the values it shows (cumulative: the values it adds).

    Returns [PackCorrection], oldest first, in 3 queries whatever the pack's size.
    """
    rows = pack_rows(pack.content)
    pairs = {(row["id"], period_id) for row in rows for period_id in row["periods_counted"]}
    if not pairs:
        return []
    wording = {row["id"]: row["wording"] for row in rows}
    ids = {indicator_id for indicator_id, _ in pairs}
    records = (
        Measurement.history.filter(indicator_id__in=ids)
        .select_related("history_user", "period")
        .order_by("id", "history_date", "history_id")
    )
    found = []
    previous = None
    for record in records:
        before = previous if previous is not None and previous.id == record.id else None
        previous = record
        if record.history_date <= pack.frozen_at:
            continue
        if (record.indicator_id, record.period_id) not in pairs or _same(before, record):
            continue
        found.append((before, record))
    if not found:
        return []
    indicators = Indicator.objects.in_bulk({record.indicator_id for _, record in found})
    levels = {}
    for level in ScaleLevel.objects.filter(indicator_id__in=list(indicators)).order_by("value"):
        levels.setdefault(level.indicator_id, []).append((level.value, level.label))
    corrections = []
    for before, record in found:
        indicator = indicators[record.indicator_id]
        scale = levels.get(indicator.pk)
        corrections.append(
            PackCorrection(
                indicator_id=indicator.pk,
                wording=wording[indicator.pk],
                period_name=record.period.name,
                old_text=_shown(before, indicator, scale),
                new_text=_shown(record, indicator, scale),
                changed_at=record.history_date,
                changed_by=record.history_user,
                reason=record.history_change_reason or "",
            )
        )
    corrections.sort(key=lambda c: c.changed_at)
    return corrections
