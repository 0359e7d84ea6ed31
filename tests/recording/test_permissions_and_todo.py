"""Who may see and write what, and the “À saisir” page."""

import pytest
from django.contrib.auth.models import Permission

from indicators.models import MeasureKind, Measurement
from indicators.recording.permissions import can_record
from indicators.recording.services import measurement_record
from tests import codes, factories


def test_anonymous_is_sent_to_the_login_page(client, tools_indicator):
    for url in [
        tools_indicator.get_absolute_url(),
        "/saisie/",
        "/saisie/export.csv",
        "/saisie/export.xlsx",
        "/saisie/import/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_board_sees_the_value_but_no_form_and_cannot_post(
    board_client, staff_user, tools_indicator, period, categories
):
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={categories[0].pk: 3, categories[1].pk: 4},
        version=0,
    )

    response = board_client.get(tools_indicator.get_absolute_url())
    assert response.status_code == 200
    assert response.context["form"] is None
    page = response.content.decode()
    assert "<strong>7\xa0outils</strong>" in page  # with its unit
    assert f"{categories[0].name} : 3" in page
    assert 'name="status"' not in page

    posted = board_client.post(
        tools_indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 1,
            "status": "recorded",
            f"cat_{categories[0].pk}": "99",
            "reason": "x",
        },
    )
    assert posted.status_code == 403
    assert Measurement.objects.get().value == 7
    assert Measurement.history.count() == 1


def test_board_cannot_open_the_entry_page_nor_import(board_client):
    assert board_client.get("/saisie/").status_code == 403
    assert board_client.get("/saisie/import/").status_code == 403
    assert board_client.post("/saisie/import/", {}).status_code == 403


def test_board_can_export(board_client, plan_2018_2023):
    assert board_client.get("/saisie/export.csv").status_code == 200


def test_staff_sees_the_form(staff_client, tools_indicator):
    response = staff_client.get(tools_indicator.get_absolute_url())
    assert response.context["form"] is not None
    assert 'name="status"' in response.content.decode()


def test_nav_shows_to_record_for_staff_only(staff_client, plan_2018_2023):
    assert "À saisir" in staff_client.get("/plan/").content.decode()


def test_nav_hides_to_record_from_the_board(board_client, plan_2018_2023):
    assert "À saisir" not in board_client.get("/plan/").content.decode()


def test_one_rule_decides_who_records_on_every_page_and_menu(
    client, board_user, tools_indicator, plan_2018_2023
):
    """Adding without correcting is not recording: no menu, no « À saisir », no form."""
    board_user.user_permissions.add(Permission.objects.get(codename="add_measurement"))
    client.force_login(board_user)
    assert not can_record(board_user)
    assert "À saisir" not in client.get("/plan/").text
    assert client.get("/saisie/").status_code == 403
    assert client.get(tools_indicator.get_absolute_url()).context["form"] is None
    assert client.get("/accounts/accueil/").url == "/"


def test_todo_lists_every_indicator_with_its_state_mine_first(
    staff_client, staff_user, plan_2018_2023, tools_indicator, level_indicator, period, categories
):
    mine = codes.indicator("6.3")
    mine.responsible = staff_user
    mine.save()
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={categories[0].pk: 2},
        version=0,
    )
    measurement_record(
        indicator=level_indicator,
        period=period,
        user=staff_user,
        status="not_measured",
        explanation="Pas de sondage",
        version=0,
    )

    response = staff_client.get(f"/saisie/?periode={period.pk}")

    assert response.status_code == 200
    rows = list(response.context["page_obj"].object_list)
    assert len(rows) == 19
    assert rows[0]["indicator"] == mine
    states = {row["indicator"].pk: row["state"] for row in rows}
    assert states[tools_indicator.pk] == "recorded"
    assert states[level_indicator.pk] == "not_measured"
    assert states[mine.pk] == "missing"
    page = response.content.decode()
    assert "1 saisi" in page
    assert "17 manquants" in page
    assert "1 non mesuré" in page
    assert f"{tools_indicator.get_absolute_url()}?periode={period.pk}#saisie" in page


def test_todo_defaults_to_the_latest_period_when_none_contains_today(staff_client, plan_2018_2023):
    response = staff_client.get("/saisie/")
    assert response.context["period"].name == "2022-2023"


def _add_indicators_and_values(plan, user, count):
    """`count` more indicators of result 1, each with a value for every period."""
    result = codes.result(1, plan)
    periods = list(plan.periods.all())
    for order in range(100, 100 + count):
        kind = MeasureKind.LEVEL if order % 2 else MeasureKind.COUNT
        indicator = factories.indicator(
            result,
            kind=kind,
            order=order,
            wording=f"Indicateur {order}",
            levels={value: f"N{value}" for value in (1, 2, 3)},
            kind_is_proposal=True,
        )
        for period in periods:
            factories.measurement(
                indicator, period, user, value=2 if kind == MeasureKind.LEVEL else order
            )


@pytest.mark.parametrize("extra", [0, 30])
def test_todo_query_count_does_not_grow_with_indicators(
    staff_client, staff_user, plan_2018_2023, django_assert_max_num_queries, extra
):
    """Prevents an N+1 on indicators, their result and responsible, and their measurement."""
    _add_indicators_and_values(plan_2018_2023, staff_user, extra)
    with django_assert_max_num_queries(13):
        response = staff_client.get("/saisie/")
    assert len(response.context["page_obj"].object_list) == min(19 + extra, 50)
    if extra:
        assert "2 – N2" in response.content.decode()


@pytest.mark.parametrize("corrections", [1, 15])
def test_indicator_page_query_count_does_not_grow_with_history(
    staff_client,
    staff_user,
    tools_indicator,
    plan_2018_2023,
    categories,
    django_assert_max_num_queries,
    corrections,
):
    """Prevents an N+1 on periods, breakdowns, evidence and history versions."""
    for period in plan_2018_2023.periods.all():
        for version in range(corrections):
            measurement_record(
                indicator=tools_indicator,
                period=period,
                user=staff_user,
                breakdown={category.pk: version + 1 for category in categories[:3]},
                version=version,
                reason="Correction" if version else "",
                confirmed=True,
            )
    with django_assert_max_num_queries(26):
        response = staff_client.get(tools_indicator.get_absolute_url())
    assert len(response.context["history"]) == 5 * corrections


def test_pages_hold_no_inline_script_or_style(staff_client, tools_indicator, plan_2018_2023):
    """The strict Content-Security-Policy forbids them; the live total comes from a file."""
    for url in [tools_indicator.get_absolute_url(), "/saisie/", "/saisie/import/"]:
        page = staff_client.get(url).content.decode()
        assert ' style="' not in page, url
        assert "<script>" not in page, url
        assert " onclick=" not in page, url
    assert (
        "/static/js/indicators.js"
        in staff_client.get(tools_indicator.get_absolute_url()).content.decode()
    )
