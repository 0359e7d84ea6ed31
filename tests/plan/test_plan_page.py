"""The plan page at /plan/: the adopted plan as the document reads, and its matrix."""

from django.utils.html import escape

from indicators.models import Indicator, MeasureKind
from plan.models import Result, Strategy
from tests import codes, factories

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
    strategy = codes.strategy("5.1")
    strategy.results.add(codes.result(1))
    response = board_client.get(PLAN_URL)
    rows = dict(response.context["matrix_rows"])
    assert rows[strategy][0] is True  # column of result 1
    assert rows[strategy][6] is True  # its own result 7
    assert sum(rows[strategy]) == 2


def _add_orientations(plan, count):
    for number in range(10, 10 + count):
        orientation = factories.orientation(plan, number=number, title=f"O{number}")
        result = factories.result(orientation, number=number, statement="R")
        factories.indicator(
            result, kind=MeasureKind.QUALITATIVE, wording=f"I{number}", kind_is_proposal=True
        )
        factories.strategy(orientation, text=f"S{number}", results=[result])


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


def test_other_plans_are_not_mixed_into_the_current_one(board_client, plan_2018_2023):
    other = factories.plan(title="Plan 2023-2028", start_year=2023, end_year=2028)
    factories.orientation(other, number=1, title="Orientation du prochain plan")
    page = board_client.get(PLAN_URL).content.decode()
    assert "Orientation du prochain plan" not in page
