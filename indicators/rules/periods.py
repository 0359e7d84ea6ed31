"""Reporting periods: which period a page opens on, the one a query string names, the lock.

Two defaults with two names, because they answer two questions:
- `period_for_recording`: staff record values for the period in progress (today's);
- `period_for_reading`: the board reads the latest period that has values.
"""

import datetime
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from django.utils.translation import gettext as _


class Period(Protocol):
    """What these rules read of a period (a models.ReportingPeriod): no database here."""

    pk: Any
    name: str
    plan_id: int
    plan: Any
    start_date: datetime.date
    end_date: datetime.date
    is_locked: bool


def period_for_recording(periods: Sequence[Period], today: datetime.date) -> Period | None:
    """The period containing `today`, else the latest one (`periods` ordered by start date)."""
    for period in periods:
        if period.start_date <= today <= period.end_date:
            return period
    return periods[-1] if periods else None


def period_for_reading(
    periods: Sequence[Period],
    periods_with_data: Collection[int],
    today: datetime.date,
) -> Period | None:
    """The latest period with data; else the latest started period; else the first."""
    with_data = [p for p in periods if p.pk in periods_with_data]
    if with_data:
        return with_data[-1]
    started = [p for p in periods if p.start_date <= today]
    if started:
        return started[-1]
    return periods[0] if periods else None


def previous_period(periods: Sequence[Period], period: Period | None) -> Period | None:
    """The period just before `period` in `periods`, or None."""
    if period is None or period not in periods:
        return None
    index = list(periods).index(period)
    return periods[index - 1] if index > 0 else None


def period_from_query(
    params: Mapping[str, str], periods: Sequence[Period], name: str = "periode"
) -> Period | None:
    """The period of `periods` whose id is `params[name]` (a query string), or None."""
    wanted = params.get(name) or ""
    return next((period for period in periods if str(period.pk) == wanted), None)


def period_problem(*, plan_id: int, period: Period) -> str | None:
    """Why values of the plan `plan_id` cannot be written for `period`; None when they can:
    another plan's period, a closed plan, a locked period.

    The single lock check. Every write of recorded data checks it on the locked rows
    (recording/guard.py period_lock_for_write), so that a save cannot race an
    administrator's lock or the plan's closing; checks that write nothing
    (services.measurement_check) and pages that show the lock ask it too.
    """
    if period.plan_id != plan_id:
        return _("The period “%(period)s” does not belong to the plan of this indicator.") % {
            "period": period.name
        }
    if period.plan.is_closed:
        return _(
            "The plan “%(plan)s” is closed: its values can no longer be changed. "
            "Ask an administrator to reopen it."
        ) % {"plan": period.plan.title}
    if period.is_locked:
        return _(
            "The period “%(period)s” is locked: its values can no longer be changed. "
            "Ask an administrator to unlock it."
        ) % {"period": period.name}
    return None
