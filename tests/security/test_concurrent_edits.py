"""Two staff members open the same value and both save: the second save is refused."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from indicators.models import MeasureKind, Measurement
from indicators.recording.services import measurement_record
from tests import codes

VERSION_FIELD = re.compile(r'<input type="hidden" name="version" value="(\d+)"')


@pytest.fixture
def count_indicators(plan_2018_2023):
    """Indicators 1.1 and 1.2 refined into plain counts (the plan proposes counts by category)."""
    indicators = [codes.indicator("1.1"), codes.indicator("1.2")]
    for indicator in indicators:
        indicator.kind, indicator.dimension = MeasureKind.COUNT, None
        indicator.save()
    return indicators


@pytest.fixture
def count_value(plan_2018_2023, count_indicators, staff_user):
    """A count indicator with a value already recorded (version 1) for the first period."""
    indicator = count_indicators[0]
    period = codes.period("2018-2019")
    return measurement_record(
        indicator=indicator, period=period, user=staff_user, value=Decimal("10"), version=0
    )


def open_form(client, measurement):
    """GET the indicator page for the period; return the version the form carries."""
    url = f"/indicateurs/{measurement.indicator_id}/?periode={measurement.period_id}"
    response = client.get(url)
    assert response.status_code == 200
    return int(VERSION_FIELD.search(response.text).group(1))


def save(client, measurement, *, version, value, reason):
    return client.post(
        f"/indicateurs/{measurement.indicator_id}/?periode={measurement.period_id}",
        {
            "period": measurement.period_id,
            "version": version,
            "status": "recorded",
            "value": value,
            "reason": reason,
        },
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_second_save_is_refused_and_shows_the_other_persons_value(
    count_value, staff_user, other_staff
):
    marie, luc = client_for(staff_user), client_for(other_staff)
    marie_version = open_form(marie, count_value)
    luc_version = open_form(luc, count_value)
    assert marie_version == luc_version == 1

    first = save(marie, count_value, version=marie_version, value="12", reason="Recompte")
    assert first.status_code == 302
    second = save(luc, count_value, version=luc_version, value="15", reason="Ajout")

    assert second.status_code == 200
    page = second.text
    assert "Marie Tremblay a modifié cette valeur depuis que vous avez ouvert le formulaire" in page
    # The other person's value, as now stored, in its unit.
    assert f"« 12\xa0{count_value.indicator.unit} »" in page
    assert "Votre saisie n’a pas été enregistrée" in page
    assert 'value="15"' in page  # what Luc typed is kept for her to compare
    count_value.refresh_from_db()
    assert count_value.value == Decimal("12")
    assert count_value.version == 2
    assert count_value.updated_by == staff_user
    assert [h.value for h in count_value.history.order_by("history_date")] == [10, 12]


@pytest.mark.django_db
def test_saving_again_after_reading_the_conflict_is_accepted(count_value, staff_user, other_staff):
    marie, luc = client_for(staff_user), client_for(other_staff)
    stale = open_form(luc, count_value)
    assert save(marie, count_value, version=open_form(marie, count_value), value="12", reason="a")[
        "Location"
    ]
    refused = save(luc, count_value, version=stale, value="15", reason="Ajout")
    # The refused form now carries the current version: a deliberate second save wins.
    assert int(VERSION_FIELD.search(refused.text).group(1)) == 2
    accepted = save(luc, count_value, version=2, value="15", reason="Ajout vérifié")
    assert accepted.status_code == 302
    count_value.refresh_from_db()
    assert (count_value.value, count_value.version) == (Decimal("15"), 3)
    assert count_value.history.count() == 3


@pytest.mark.django_db
def test_two_people_creating_the_same_value_do_not_overwrite_each_other(
    plan_2018_2023, count_indicators, staff_user, other_staff
):
    measurement = Measurement(
        indicator=count_indicators[1],
        period=codes.period("2022-2023"),
    )
    marie, luc = client_for(staff_user), client_for(other_staff)
    assert open_form(marie, measurement) == open_form(luc, measurement) == 0
    assert save(marie, measurement, version=0, value="3", reason="").status_code == 302
    refused = save(luc, measurement, version=0, value="4", reason="")
    assert refused.status_code == 200
    assert "Marie Tremblay a modifié cette valeur" in refused.text
    stored = Measurement.objects.get(indicator=measurement.indicator, period=measurement.period)
    assert (stored.value, stored.version, stored.history.count()) == (Decimal("3"), 1, 1)
