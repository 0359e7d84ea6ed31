"""The board's drill-down pages: an orientation, a result, back to the plan."""

import pytest
from django.urls import reverse

from indicators.models import Indicator
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
