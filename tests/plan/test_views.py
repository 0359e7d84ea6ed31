import pytest
from django.urls import reverse

from indicators.models import Indicator
from plan.models import Orientation, Result, StrategicPlan, Strategy

PLAN_URL = "/plan/"


def test_plan_page_requires_login(client, db):
    response = client.get(PLAN_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PLAN_URL}"


def test_plan_page_reads_like_the_document(board_client, plan_2018_2023):
    response = board_client.get(PLAN_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Plan stratégique 2018-2023" in page
    for heading in ["Mission", "Intentions", "Approche", "Vision", "Valeurs organisationnelles"]:
        assert heading in page
    for value in plan_2018_2023.values.all():
        assert value.name in page
    order = [page.index(f"Orientation {number}</a>") for number in range(1, 6)]
    assert order == sorted(order)


def test_plan_page_shows_every_result_indicator_and_strategy(board_client, plan_2018_2023):
    page = board_client.get(PLAN_URL).content.decode()
    from django.utils.html import escape

    for result in Result.objects.filter(orientation__plan=plan_2018_2023):
        assert escape(result.statement) in page
    for indicator in Indicator.objects.of_plan(plan_2018_2023):
        assert f'href="{indicator.get_absolute_url()}"' in page
        assert escape(indicator.wording) in page
    for strategy in Strategy.objects.filter(orientation__plan=plan_2018_2023):
        assert escape(strategy.text) in page


def test_matrix_marks_strategies_serving_results_of_other_orientations(
    board_client, plan_2018_2023
):
    strategy = Strategy.objects.get(
        orientation__plan=plan_2018_2023, orientation__number=5, order=1
    )
    strategy.results.add(Result.objects.get(orientation__plan=plan_2018_2023, number=1))
    response = board_client.get(PLAN_URL)
    rows = dict(response.context["matrix_rows"])
    assert rows[strategy][0] is True  # column of result 1
    assert rows[strategy][6] is True  # its own result 7
    assert sum(rows[strategy]) == 2


@pytest.mark.parametrize("path", ["/", PLAN_URL, "/rapport/"])
def test_pages_without_a_current_plan_explain_it(board_client, path):
    response = board_client.get(path)
    assert response.status_code == 200
    assert "Aucun plan courant" in response.content.decode()


def test_to_record_page_without_a_current_plan_explains_it(staff_client):
    response = staff_client.get("/saisie/")
    assert response.status_code == 200
    assert "Aucun plan courant" in response.content.decode()


def _add_orientations(plan, count):
    for number in range(10, 10 + count):
        orientation = Orientation.objects.create(plan=plan, number=number, title=f"O{number}")
        result = Result.objects.create(orientation=orientation, number=number, statement="R")
        Indicator.objects.create(result=result, order=1, wording=f"I{number}")
        strategy = Strategy.objects.create(orientation=orientation, order=1, text=f"S{number}")
        strategy.results.add(result)


def test_plan_page_query_count_does_not_grow_with_the_plan(
    board_client, plan_2018_2023, django_assert_max_num_queries
):
    """Prefetching keeps the page from running one query per orientation, result or strategy."""
    with django_assert_max_num_queries(15):
        board_client.get(PLAN_URL)
    _add_orientations(plan_2018_2023, 10)
    with django_assert_max_num_queries(15):
        response = board_client.get(PLAN_URL)
    assert "O19" in response.content.decode()


def test_orientation_and_result_pages_link_back_to_the_plan(board_client, plan_2018_2023):
    orientation = Orientation.objects.get(plan=plan_2018_2023, number=3)
    response = board_client.get(orientation.get_absolute_url())
    assert response.status_code == 200
    assert reverse("plan:plan_detail") in response.content.decode()
    result = orientation.results.get(number=4)
    response = board_client.get(result.get_absolute_url())
    assert response.status_code == 200
    assert orientation.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("path", ["/orientations/999/", "/resultats/999/", "/indicateurs/999/"])
def test_unknown_structure_is_not_found(board_client, plan_2018_2023, path):
    assert board_client.get(path).status_code == 404


def test_other_plans_are_not_mixed_into_the_current_one(board_client, plan_2018_2023):
    other = StrategicPlan.objects.create(
        title="Plan 2023-2028", organisation="TIESS", start_year=2023, end_year=2028
    )
    Orientation.objects.create(plan=other, number=1, title="Orientation du prochain plan")
    page = board_client.get(PLAN_URL).content.decode()
    assert "Orientation du prochain plan" not in page
