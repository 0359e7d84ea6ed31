"""The board's drill-down pages: an orientation, a result, back to the plan."""

import pytest
from django.urls import reverse

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
