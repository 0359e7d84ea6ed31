"""The board's dashboard at `/`: statuses, roll-ups, charts, and a constant number of queries."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.board.views import FOLD_ABOVE
from indicators.models import Indicator, MeasurementStatus, StrategyState
from plan.models import StrategicPlan
from tests import codes, factories
from tests.board.data import current_plan_of_size

DASHBOARD = reverse("board:dashboard")
# The dashboard's queries for a plan of any size (session, user, plan, its data, last pack…).
DASHBOARD_QUERIES = 22
STATUS_WORDS = {
    "atteinte",
    "en bonne voie",
    "à surveiller",
    "en retard",
    "sans cible",
    "donnée manquante",
    "non mesuré",
    "qualitatif",
}


def row_statuses(html):
    """{indicator URL: status key} of the dashboard's indicator rows."""
    rows = re.findall(
        r'<tr class="indicator-row" data-status="(\w+)">\s*<th[^>]*><a href="([^"]+)"', html
    )
    return {url: status for status, url in rows}


def test_dashboard_requires_login(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_lands_the_board_on_the_dashboard(board_client):
    response = board_client.get(reverse("landing"))
    assert response.status_code == 302
    assert response.url == DASHBOARD == "/"


def test_fixture_without_values_shows_missing_data_or_no_target_everywhere(
    board_client, plan_2018_2023
):
    response = board_client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    statuses = row_statuses(html)
    assert len(statuses) == Indicator.objects.of_plan(plan_2018_2023).count() == 19
    assert set(statuses.values()) <= {"missing", "no_target"}
    assert "donnée manquante" in html
    assert plan_2018_2023.title in html
    for number in range(1, 6):
        assert f"Orientation {number}" in html


def test_the_header_gives_the_plans_years_then_the_labelled_period_choice(
    board_client, plan_2018_2023
):
    html = board_client.get(DASHBOARD).content.decode()
    header = html[html.index("<header class=") : html.index("</header>")]
    # On screen, the years end their line (the period is added in print only).
    screen = re.sub(r'<span class="d-none d-print-inline">.*?</span>', "", header)
    assert '<p class="mb-1">De 2018 à 2023</p>' in screen
    assert "·" not in screen.split("<nav")[0]
    assert '<span class="d-none d-print-inline"> · Période affichée : 2022-2023</span>' in header
    # The label sits beside the select it names, without an unexplained « * ».
    assert re.search(
        r'<label for="id_periode"[^>]*>Période affichée</label>\s*<select name="periode" '
        r'id="id_periode"',
        header,
    )
    assert "*" not in re.sub(r"<[^>]+>", "", header)


def test_dashboard_shows_value_target_progress_and_status_word(
    board_client, plan_2018_2023, staff_user
):
    indicator = codes.indicator("1.2")
    period = codes.period("2020-2021")
    factories.target(indicator, period, Decimal(1200))
    factories.measurement(indicator, period, staff_user, value="1150.5")
    html = board_client.get(DASHBOARD).content.decode()
    # The latest period with data is shown by default.
    assert "Période affichée : 2020-2021" in html
    assert row_statuses(html)[indicator.get_absolute_url()] == "on_track"  # 95,9 %
    assert "1\xa0150,5\xa0outils" in html
    assert "1\xa0200\xa0outils" in html
    assert "95,9\xa0%" in html
    assert "en bonne voie" in html
    assert "en bonne voie\xa0: 1" in html  # roll-up: a count, not an average


def test_thresholds_edited_in_the_plan_change_the_status(board_client, plan_2018_2023, staff_user):
    indicator = codes.indicator("1.2")
    period = codes.period("2018-2019")
    factories.target(indicator, period, Decimal(100))
    factories.measurement(indicator, period, staff_user, value=90)
    url = indicator.get_absolute_url()
    assert row_statuses(board_client.get(DASHBOARD).content.decode())[url] == "watch"
    StrategicPlan.objects.filter(pk=plan_2018_2023.pk).update(
        on_track_threshold=90, watch_threshold=50
    )
    assert row_statuses(board_client.get(DASHBOARD).content.decode())[url] == "on_track"


def test_not_measured_and_qualitative_answers_show_their_own_words(
    board_client, plan_2018_2023, staff_user
):
    period = codes.period("2019-2020")
    counted = codes.indicator("1.1")
    narrative = codes.indicator("4.2")
    assert narrative.kind == "qualitative"
    factories.measurement(
        counted,
        period,
        staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Le sondage a été reporté.",
    )
    factories.measurement(
        narrative, period, staff_user, narrative="Des cégeps et des universités participent."
    )
    html = board_client.get(DASHBOARD).content.decode()
    statuses = row_statuses(html)
    assert statuses[counted.get_absolute_url()] == "not_measured"
    assert statuses[narrative.get_absolute_url()] == "qualitative"
    assert "non mesuré" in html
    assert "Le sondage a été reporté." in html
    assert "qualitatif" in html
    assert "Des cégeps et des universités participent." in html


def test_period_can_be_chosen(board_client, plan_2018_2023, staff_user):
    indicator = codes.indicator("1.2")
    first, second = codes.period("2018-2019"), codes.period("2019-2020")
    factories.target(indicator, first, 10)
    factories.measurement(indicator, first, staff_user, value=10)
    html = board_client.get(DASHBOARD, {"periode": second.pk}).content.decode()
    assert "Période affichée : 2019-2020" in html
    assert row_statuses(html)[indicator.get_absolute_url()] == "missing"
    html = board_client.get(DASHBOARD, {"periode": first.pk}).content.decode()
    assert row_statuses(html)[indicator.get_absolute_url()] == "reached"


def test_every_indicator_has_a_compact_sparkline_with_its_numbers_once(
    board_client, plan_2018_2023
):
    html = board_client.get(DASHBOARD).content.decode()
    assert html.count('class="sparkline" role="img"') == 19
    assert html.count('aria-label="Tendance : 2018-2019 : ') == 19
    # The numbers are said once (the accessible name): no <desc>, no hidden table per row.
    assert "<desc>" not in html
    assert '<table class="visually-hidden">' not in html
    assert " style=" not in html
    assert "<script>" not in html


def test_dashboard_without_a_current_plan_explains_it(board_client, no_current_plan):
    response = board_client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Aucun plan courant" in response.content.decode()


def test_matrix_highlights_results_that_no_active_strategy_serves(
    board_client, plan_2018_2023, staff_user
):
    result = codes.result(7)
    html = board_client.get(DASHBOARD).content.decode()
    unserved_before = "Résultats qu’aucune stratégie active ne sert" in html
    # Abandon every strategy serving result 7: it is then served by no active strategy.
    period = codes.period("2018-2019")
    for strategy in result.strategies.all():
        factories.strategy_progress(strategy, period, staff_user, state=StrategyState.ABANDONED)
    html = board_client.get(DASHBOARD).content.decode()
    assert "Résultats qu’aucune stratégie active ne sert" in html
    assert f'class="rotate unserved"><a href="{result.get_absolute_url()}"' in html
    assert "abandonnée" in html
    assert unserved_before is False or "Résultat 7" in html


@pytest.mark.parametrize("size", ["fixture", "generated"])
def test_dashboard_query_count_does_not_grow_with_the_plan(
    board_client, plan_2018_2023, django_assert_max_num_queries, size
):
    """Prevents an N+1 over indicators, periods, categories or strategies (bound: 22 queries,
    one of them the last meeting pack the summary compares with, one the plan switcher)."""
    current_plan_of_size(size)
    with django_assert_max_num_queries(22):
        response = board_client.get(DASHBOARD)
    assert response.status_code == 200
    expected = 40 if size == "generated" else 19
    assert len(row_statuses(response.content.decode())) == expected


@pytest.mark.parametrize("size", ["fixture", "generated"])
def test_drill_down_and_report_query_counts_do_not_grow(
    board_client, plan_2018_2023, django_assert_max_num_queries, size
):
    """Orientation, result and report pages fetch the plan at once, like the dashboard."""
    current_plan_of_size(size)
    plan = StrategicPlan.objects.current()
    orientation = plan.orientations.get(number=1)
    result = orientation.results.order_by("number").first()
    for url in [
        orientation.get_absolute_url(),
        result.get_absolute_url(),
        reverse("board:board_report"),
        reverse("board:board_report_xlsx"),
        reverse("board:since_last_meeting"),
    ]:
        with django_assert_max_num_queries(22):
            response = board_client.get(url)
        assert response.status_code == 200


def _current_demo_plan(indicators):
    """A generated plan of `indicators` indicators (6 periods with values), made current."""
    call_command(
        "generate_demo_data",
        indicators=indicators,
        periods=6,
        categories=5,
        seed=3,
        current=True,
        stdout=StringIO(),
    )
    return StrategicPlan.objects.current()


@pytest.mark.parametrize("indicators", [40, 90])
def test_dashboard_makes_the_same_queries_whatever_the_plan_size(
    board_client, plan_2018_2023, django_assert_num_queries, indicators
):
    """Prevents an N+1 over indicators, periods, categories or strategies, with the rows drawn
    (40 indicators) and the orientations folded (90): exactly the same queries."""
    _current_demo_plan(indicators)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = board_client.get(DASHBOARD)
    assert response.status_code == 200


def test_a_large_plan_folds_its_orientations_into_counts_with_a_link_to_their_rows(
    board_client, plan_2018_2023
):
    plan = _current_demo_plan(FOLD_ABOVE + 10)
    period = plan.periods.order_by("start_date").last()
    html = board_client.get(DASHBOARD).content.decode()
    # No indicator row: each orientation is folded, counted by status, one link from its rows.
    assert 'class="indicator-row"' not in html
    assert html.count('<details class="card mb-3 orientation">') == 5
    for orientation in plan.orientations.all():
        count = Indicator.objects.filter(result__orientation=orientation).count()
        link = f'<a href="{orientation.get_absolute_url()}?periode={period.pk}">'
        words = f"Orientation {orientation.number} en détail\xa0: ses {count} indicateurs"
        assert f"{link}{words}" in html
        for result in orientation.results.all():
            assert f'id="result-{result.pk}"' in html
    assert html.count('class="rollup" role="list"') == 5 + 10  # orientations and results
    # A status filter draws the rows it keeps.
    filtered = board_client.get(DASHBOARD, {"statut": "late"}).content.decode()
    late = set(re.findall(r'<tr class="indicator-row" data-status="(\w+)"', filtered))
    assert late == {"late"}
