"""« Depuis la dernière rencontre »: one form (a day, by default the last meeting's), compared
with today; new values, changed statuses and corrections from midnight of that day on."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.board import services
from indicators.models import Measurement
from indicators.recording.services import measurement_record
from tests import codes, factories

URL = reverse("board:since_last_meeting")
CHOSEN = datetime.date(2026, 3, 1)


def midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def moved_to(measurement, moment):
    """The measurement (its first record, or its latest change) written at `moment`."""
    latest = Measurement.history.filter(id=measurement.pk).order_by("-history_id").first()
    Measurement.history.filter(history_id=latest.history_id).update(history_date=moment)
    if latest.history_type == "+":
        Measurement.objects.filter(pk=measurement.pk).update(recorded_at=moment)


def record(indicator, period, user, value, *, reason="", version=0):
    return measurement_record(
        indicator=indicator,
        period=period,
        user=user,
        value=Decimal(value),
        reason=reason,
        version=version,
    )


@pytest.fixture
def level(plan_2018_2023):
    """Indicator 1.3 (a level from 1 to 5) with a target of 4 in 2018-2019 and 2019-2020."""
    indicator = codes.indicator("1.3", plan_2018_2023)
    for name in ("2018-2019", "2019-2020"):
        factories.target(indicator, codes.period(name, plan_2018_2023), 4)
    return indicator


def changes(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.context["changes"]


def test_a_value_recorded_exactly_at_midnight_of_the_chosen_day_is_listed(
    board_client, level, staff_user
):
    just_before = record(level, codes.period("2018-2019"), staff_user, 2)
    moved_to(just_before, midnight(CHOSEN) - datetime.timedelta(microseconds=1))
    at_midnight = record(level, codes.period("2019-2020"), staff_user, 4)
    moved_to(at_midnight, midnight(CHOSEN))
    found = changes(board_client, date=CHOSEN.isoformat())
    assert [(i, p.name) for i, p, _ in found.new_values] == [(level, "2019-2020")]
    # It is a change since that day: the board then saw 2 of 4 (late), now 4 of 4.
    assert [(c.before.status, c.after.status) for c in found.status_changes] == [
        ("late", "reached")
    ]


def test_a_correction_made_exactly_at_midnight_of_the_chosen_day_is_listed(
    board_client, level, staff_user
):
    day_before = midnight(CHOSEN) - datetime.timedelta(days=1)
    corrected = record(level, codes.period("2018-2019"), staff_user, 2)
    moved_to(corrected, day_before)
    record(level, codes.period("2018-2019"), staff_user, 3, reason="Niveau revu.", version=1)
    moved_to(corrected, midnight(CHOSEN))
    earlier = record(level, codes.period("2019-2020"), staff_user, 2)
    moved_to(earlier, day_before)
    record(level, codes.period("2019-2020"), staff_user, 1, reason="Trop tôt.", version=1)
    moved_to(earlier, midnight(CHOSEN) - datetime.timedelta(microseconds=1))
    found = changes(board_client, date=CHOSEN.isoformat())
    assert [(c.indicator, c.period.name, c.reason) for c in found.corrections] == [
        (level, "2018-2019", "Niveau revu.")
    ]
    assert found.new_values == []


def test_since_today_lists_what_was_recorded_and_corrected_today(
    board_client, level, staff_user, other_staff
):
    yesterday = midnight(timezone.localdate()) - datetime.timedelta(hours=2)
    corrected = record(level, codes.period("2018-2019"), staff_user, 2)
    moved_to(corrected, yesterday)
    record(level, codes.period("2018-2019"), other_staff, 4, reason="Atelier compté.", version=1)
    record(level, codes.period("2019-2020"), staff_user, 4)
    today = timezone.localdate()
    # Through the form's own fields: a day, a month in words, a year.
    found = changes(board_client, date_day=today.day, date_month=today.month, date_year=today.year)
    assert [p.name for _, p, _ in found.new_values] == ["2019-2020"]
    assert [(c.reason, c.changed_by) for c in found.corrections] == [
        ("Atelier compté.", other_staff)
    ]
    # 2 of 4 the day before (late), 4 of 4 in 2019-2020 now.
    assert [(c.before.status, c.after.status) for c in found.status_changes] == [
        ("late", "reached")
    ]


def test_by_default_the_page_starts_from_the_last_meeting_compared_with_today(
    board_client, plan_2018_2023, staff_user
):
    period = codes.period("2019-2020")
    for day, title in [(datetime.date(2025, 9, 1), "Été"), (datetime.date(2025, 12, 1), "Hiver")]:
        services.meeting_create(
            plan=plan_2018_2023, date=day, title=title, period=period, user=staff_user
        )
    response = board_client.get(URL)
    assert response.context["since"] == datetime.date(2025, 12, 1)
    page = response.content.decode()
    main = page[page.index("<!--page-content-->") :]
    # One form, preset to the meeting's day, the month in words.
    assert main.count("<form") == 1
    assert re.search(r'<option value="1" selected>1</option>', main)
    assert re.search(r'<option value="12" selected>décembre</option>', main)
    assert '<option value="2025" selected>2025</option>' in main
    assert "Changements depuis la rencontre du 1er décembre 2025 (Hiver)" in main
    today = timezone.localdate()
    assert f"comparés à ceux d’aujourd’hui ({today.day}" in main
    # The earlier meeting is one click away; no date is ever written in figures.
    assert 'href="?date=2025-09-01">1er septembre 2025 (Été)</a>' in main
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", main)


def test_without_a_meeting_the_page_starts_from_the_period_read(board_client, plan_2018_2023):
    response = board_client.get(URL)
    # No value yet: the latest period already started.
    assert response.context["since"] == codes.period("2022-2023").start_date


def test_a_day_after_today_is_refused_in_words_and_the_default_kept(board_client, plan_2018_2023):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = board_client.get(URL, {"date": tomorrow.isoformat()})
    assert response.context["since"] == codes.period("2022-2023").start_date
    assert "Choisissez un jour qui n’est pas après aujourd’hui." in response.content.decode()


def test_a_day_before_the_plan_typed_in_the_address_is_shown_selected(board_client, plan_2018_2023):
    page = board_client.get(URL, {"date": "2010-01-15"}).content.decode()
    assert "Changements depuis le 15 janvier 2010" in page
    assert '<option value="2010" selected>2010</option>' in page
    assert '<option value="1" selected>janvier</option>' in page


def test_without_values_the_page_says_so_in_french(board_client, plan_2018_2023):
    page = board_client.get(URL).content.decode()
    assert "Aucune nouvelle valeur." in page
    assert "Aucune valeur n’a été corrigée." in page


def test_board_cannot_reach_it_anonymously(client, db):
    assert client.get(URL).status_code == 302
