"""The period a page opens on: today's for recording, the latest with data for reading."""

import datetime
from types import SimpleNamespace

from indicators.rules.periods import (
    period_for_reading,
    period_for_recording,
    period_from_query,
    period_problem,
    previous_period,
)


def period(pk, year, *, plan_id=1, is_locked=False, plan_closed=False):
    return SimpleNamespace(
        pk=pk,
        name=f"{year}-{year + 1}",
        plan_id=plan_id,
        plan=SimpleNamespace(title="Plan", is_closed=plan_closed),
        is_locked=is_locked,
        start_date=datetime.date(year, 4, 1),
        end_date=datetime.date(year + 1, 3, 31),
    )


P2022, P2023, P2024 = period(1, 2022), period(2, 2023), period(3, 2024)
PERIODS = [P2022, P2023, P2024]


def test_recording_opens_on_the_period_containing_today_boundaries_included():
    assert period_for_recording(PERIODS, datetime.date(2023, 4, 1)) is P2023  # first day
    assert period_for_recording(PERIODS, datetime.date(2024, 3, 31)) is P2023  # last day
    assert period_for_recording(PERIODS, datetime.date(2024, 4, 1)) is P2024  # next midnight


def test_recording_outside_every_period_opens_on_the_latest():
    assert period_for_recording(PERIODS, datetime.date(2030, 1, 1)) is P2024
    assert period_for_recording(PERIODS, datetime.date(2000, 1, 1)) is P2024
    assert period_for_recording([], datetime.date(2023, 5, 1)) is None


def test_reading_opens_on_the_latest_period_with_data_else_the_latest_started():
    today = datetime.date(2024, 6, 1)
    assert period_for_reading(PERIODS, {1}, today) is P2022
    assert period_for_reading(PERIODS, {1, 2}, today) is P2023
    assert period_for_reading(PERIODS, set(), today) is P2024
    assert period_for_reading(PERIODS, set(), datetime.date(2024, 3, 31)) is P2023
    assert period_for_reading(PERIODS, set(), datetime.date(2000, 1, 1)) is P2022
    assert period_for_reading([], set(), today) is None


def test_the_query_string_names_a_period_of_the_list_only():
    assert period_from_query({"periode": "2"}, PERIODS) is P2023
    assert period_from_query({"a": "3"}, PERIODS, "a") is P2024
    assert period_from_query({"periode": "99"}, PERIODS) is None
    assert period_from_query({"periode": "x"}, PERIODS) is None
    assert period_from_query({}, PERIODS) is None


def test_previous_period():
    assert previous_period(PERIODS, P2023) is P2022
    assert previous_period(PERIODS, P2022) is None
    assert previous_period(PERIODS, None) is None


def test_the_lock_check_refuses_a_locked_period_or_another_plans():
    assert period_problem(plan_id=1, period=P2023) is None
    assert "verrouillée" in period_problem(plan_id=1, period=period(4, 2025, is_locked=True))
    assert "n’appartient pas" in period_problem(plan_id=2, period=P2023)
    assert "est fermé" in period_problem(plan_id=1, period=period(5, 2025, plan_closed=True))
