"""What changed since the last meeting: new values, changed statuses, corrections."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests import codes, factories

URL = reverse("board:since_last_meeting")


def setup_two_periods(plan, user):
    # Not cumulative: each period stands alone.
    indicator = codes.indicator("1.1", plan)
    first = codes.period("2018-2019", plan)
    second = codes.period("2019-2020", plan)
    factories.target(indicator, first, 10)
    factories.target(indicator, second, 20)
    reported = factories.measurement(indicator, first, user, value=10)
    factories.measurement(indicator, second, user, value=12)
    return indicator, first, second, reported


def correct(measurement, value, reason):
    measurement.value = Decimal(value)
    measurement._change_reason = reason
    measurement.save()


def test_two_periods_show_new_values_changed_statuses_and_corrections(
    board_client, plan_2018_2023, staff_user
):
    indicator, first, second, reported = setup_two_periods(plan_2018_2023, staff_user)
    correct(reported, 9, "Doublon retiré après vérification.")
    response = board_client.get(URL, {"de": first.pk, "a": second.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "De la période 2018-2019 à la période 2019-2020" in page
    new_values = response.context["changes"].new_values
    assert [(i, p) for i, p, _ in new_values] == [(indicator, second)]
    changes = response.context["changes"].status_changes
    assert [(c.indicator, c.before.status, c.after.status) for c in changes] == [
        (indicator, "watch", "late")  # 90 % then 60 %
    ]
    corrections = response.context["changes"].corrections
    assert len(corrections) == 1
    assert corrections[0].old_value == 10
    assert corrections[0].new_value == 9
    assert corrections[0].reason == "Doublon retiré après vérification."
    assert "Doublon retiré après vérification." in page


def test_since_a_date_lists_only_later_changes(board_client, plan_2018_2023, staff_user):
    indicator, first, second, reported = setup_two_periods(plan_2018_2023, staff_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = board_client.get(URL, {"date": tomorrow.isoformat()})
    assert response.context["changes"].new_values == []
    assert response.context["changes"].corrections == []
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    correct(reported, 11, "Saisie corrigée.")
    response = board_client.get(URL, {"date": yesterday.isoformat()})
    assert len(response.context["changes"].new_values) == 2
    # Both values were recorded after the date, so no status existed before.
    assert [c.after.status for c in response.context["changes"].status_changes][:1] == ["late"]
    assert [c.reason for c in response.context["changes"].corrections] == ["Saisie corrigée."]
    assert "Changements depuis le" in response.content.decode()


def test_without_values_the_page_says_so_in_french(board_client, plan_2018_2023):
    page = board_client.get(URL).content.decode()
    assert "Aucune nouvelle valeur." in page
    assert "Aucune valeur n’a été corrigée." in page


def test_board_cannot_reach_it_anonymously(client, db):
    assert client.get(URL).status_code == 302
