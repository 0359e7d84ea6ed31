"""The board's drill-down pages: an orientation, a result, back to the plan."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from plan.models import StrategicPlan
from tests import codes


def test_orientation_and_result_pages_link_back_to_the_plan(board_client, plan_2018_2023):
    orientation = codes.orientation(3)
    response = board_client.get(orientation.get_absolute_url())
    assert response.status_code == 200
    assert reverse("plan:plan_detail") in response.content.decode()
    result = codes.result(4)
    assert result.orientation == orientation
    response = board_client.get(result.get_absolute_url())
    assert response.status_code == 200
    assert orientation.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("path", ["/orientations/999/", "/resultats/999/", "/indicateurs/999/"])
def test_unknown_structure_is_not_found(board_client, plan_2018_2023, path):
    assert board_client.get(path).status_code == 404


def test_result_page_shows_charts_and_serving_strategies(board_client, plan_2018_2023):
    result = codes.result(1)
    page = board_client.get(result.get_absolute_url()).content.decode()
    assert page.count('class="indicator-chart" role="img"') == result.indicators.count()
    assert "Stratégies qui servent ce résultat" in page
    assert reverse("plan:plan_detail") in page


def test_the_indicator_page_shows_the_board_no_unexplained_mark(
    client, board_user, staff_user, plan_2018_2023
):
    """« proposition » and « À définir » are the staff's to-do; the board reads what is settled."""
    indicator = codes.indicator("1.2")
    Indicator.objects.filter(pk=indicator.pk).update(kind_is_proposal=True, definition="")
    client.force_login(board_user)
    board_page = client.get(indicator.get_absolute_url()).content.decode()
    assert "proposition" not in board_page
    assert "Définition précise" not in board_page
    assert "À définir." not in board_page
    client.force_login(staff_user)
    staff_page = client.get(indicator.get_absolute_url()).content.decode()
    assert "proposition</span>" in staff_page
    assert "déduit du libellé, à confirmer par un administrateur" in staff_page
    assert "À définir." in staff_page
    Indicator.objects.filter(pk=indicator.pk).update(definition="Outils publiés et diffusés.")
    client.force_login(board_user)
    board_page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Définition précise" in board_page
    assert "Outils publiés et diffusés." in board_page


def test_a_large_result_draws_every_row_and_its_charts_ten_at_a_time(board_client, plan_2018_2023):
    """A result of 15 indicators: all 15 rows, charts 1-10 then 11-15, the same queries on
    each page (the breakdowns read are those of the charts shown)."""
    call_command(
        "generate_demo_data",
        indicators=150,
        periods=4,
        categories=3,
        seed=5,
        current=True,
        stdout=StringIO(),
    )
    result = StrategicPlan.objects.current().orientations.get(number=1).results.first()
    url = result.get_absolute_url()
    counts = []
    for number, charts in [(1, 10), (2, 5)]:
        with CaptureQueriesContext(connection) as queries:
            html = board_client.get(f"{url}?page={number}").content.decode()
        counts.append(len(queries))
        assert html.count('class="indicator-row"') == 15
        assert html.count('class="indicator-chart" role="img"') == charts
        assert f"Page {number} sur 2" in html
    assert counts[0] == counts[1]
    assert 'href="?periode=' in html
    assert "page=1#charts" in html
    # A wrong page number shows the last page, an unreadable one the first.
    assert board_client.get(f"{url}?page=9").status_code == 200
    assert board_client.get(f"{url}?page=x").status_code == 200
