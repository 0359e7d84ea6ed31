"""The board reads the plan in 30 seconds: summary, stories beside statuses, levels in words."""

import re
from html import escape, unescape
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from indicators.board import summary
from indicators.board.data import load_plan_data
from indicators.board.status import Status
from indicators.board.viewmodels import build_board
from tests import codes, factories
from tests.board.data import LATE_STORY

DASHBOARD = reverse("board:dashboard")
LEVEL_PHRASE = "niveau 3 – Expérimentation · cible 4 – Intégration"


def test_summary_lists_attention_laggards_first_reached_targets_and_changes(
    board_data, plan_2018_2023
):
    data = load_plan_data(plan_2018_2023)
    board = build_board(data, board_data["second"], board_data["second"].end_date)
    before = summary.statuses_of_period(data, board_data["first"], board_data["second"].end_date)
    result = summary.build_summary(board, before=before, compared_with="depuis 2018-2019")
    statuses = [row.assessment.status for row in result.attention]
    assert statuses == sorted(statuses, key=list(summary.ATTENTION_STATUSES).index)
    assert {board_data["late"], board_data["level"]} <= {r.indicator for r in result.attention}
    assert result.attention_total == sum(
        count for status, _, count in board.rollup if status in summary.ATTENTION_STATUSES
    )
    assert [row.indicator for row in result.reached] == [board_data["cumulative"]]
    changed = {c.row.indicator: (c.before_status, c.row.assessment.status) for c in result.changes}
    assert changed[board_data["late"]] == (Status.REACHED, Status.LATE)
    assert not next(c for c in result.changes if c.row.indicator == board_data["late"]).improved
    # Counts per orientation add up to the plan's roll-up.
    assert sum(o.total for o in result.orientations) == 19


def test_highlights_list_only_changes_into_or_out_of_late_to_watch_or_reached(
    board_data, plan_2018_2023
):
    data = load_plan_data(plan_2018_2023)
    board = build_board(data, board_data["second"], board_data["second"].end_date)
    before = {
        board_data["late"].pk: ("reached", "atteinte"),  # now late: listed
        board_data["cumulative"].pk: ("on_track", "en bonne voie"),  # now reached: listed
        board_data["level"].pk: ("missing", "donnée manquante"),  # now late: listed
        board_data["unmeasured"].pk: ("missing", "donnée manquante"),  # now not measured
        codes.indicator("1.4").pk: ("missing", "donnée manquante"),  # unchanged
    }
    result = summary.build_summary(board, before=before, compared_with="depuis 2018-2019")
    assert {c.row.indicator for c in result.changes} == {
        board_data["late"],
        board_data["cumulative"],
        board_data["level"],
    }
    assert result.changes_total == 3
    assert result.other_changes_total == 1
    assert result.other_statuses == [
        (Status.MISSING, "donnée manquante"),
        (Status.NOT_MEASURED, "non mesuré"),
    ]


def highlights(html):
    return html[html.index('<section class="highlights"') :].split("</section>", 1)[0]


def test_missing_data_becoming_no_target_is_counted_never_listed_on_screen_and_print(
    board_client, plan_2018_2023, staff_user
):
    """The dashboard (screen) and the report (print) say the same thing."""
    first, second = codes.period("2018-2019"), codes.period("2019-2020")
    late = codes.indicator("1.2")
    factories.target(late, first, 10)
    factories.target(late, second, 40)
    factories.measurement(late, first, staff_user, value=10)
    factories.measurement(late, second, staff_user, value=12)
    for code in ("1.1", "2.1", "2.2"):  # no target: missing data → no target
        factories.measurement(codes.indicator(code), second, staff_user, value=5)
    dashboard = highlights(board_client.get(DASHBOARD).content.decode())
    report = highlights(board_client.get(reverse("board:board_report")).content.decode())
    assert dashboard == report
    assert "d-print-none" not in dashboard
    assert "d-none" not in dashboard
    text = " ".join(re.sub(r"<[^>]+>", " ", unescape(dashboard)).split())
    assert "1 statut a changé depuis la période 2018-2019 :" in text
    assert f"{late.wording} : atteinte → devenu en retard" in text
    assert (
        "3 autres changements de statut, entre donnée manquante et sans cible, "
        "ne sont pas listés." in text
    )
    for code in ("1.1", "2.1", "2.2"):
        assert codes.indicator(code).wording not in dashboard


def test_only_other_changes_say_plainly_that_no_status_a_board_acts_on_moved(
    board_client, plan_2018_2023, staff_user
):
    factories.measurement(codes.indicator("1.1"), codes.period("2019-2020"), staff_user, value=5)
    html = board_client.get(DASHBOARD, {"periode": codes.period("2019-2020").pk}).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", unescape(highlights(html))).split())
    assert (
        "Aucun statut n’est passé à « en retard », « à surveiller » ou « atteinte », "
        "ni n’en est sorti, depuis la période 2018-2019." in text
    )
    assert (
        "1 autre changement de statut, entre donnée manquante et sans cible, n’est pas listé."
        in (text)
    )


def test_the_chart_names_each_orientation_with_its_words(board_client, plan_2018_2023):
    html = board_client.get(DASHBOARD).content.decode()
    chart = html[html.index('<svg class="status-chart"') : html.index("</svg>")]
    for orientation in plan_2018_2023.orientations.all():
        name = escape(f"{orientation} – {orientation.title}")
        assert f"<title>{name}</title>" in chart
        # Its first words are written beside the bar; the whole name is in the table.
        assert f"</title>{escape(f'{orientation} – {orientation.title[:20]}')}" in chart
        assert f'<th scope="row">{name}</th>' in html


def test_status_chart_is_an_svg_with_its_table_in_a_clipped_box(board_data, plan_2018_2023):
    data = load_plan_data(plan_2018_2023)
    board = build_board(data, board_data["second"], board_data["second"].end_date)
    chart = str(summary.build_summary(board).chart)
    assert chart.startswith('<svg class="status-chart" role="img"')
    assert '<title id="status-chart-title">' in chart
    # The text alternative: a table inside a visually hidden box (never a hidden table, which
    # would keep its own width and widen the page).
    assert '<div class="visually-hidden"><table>' in chart
    assert chart.count('<th scope="row">Orientation') == 5


def test_dashboard_shows_summary_then_attention_with_stories(board_client, board_data):
    html = board_client.get(DASHBOARD).content.decode()
    summary_at = html.index('class="board-summary')
    assert summary_at < html.index("orientations-title")
    attention = html[html.index('id="attention-title"') : html.index('id="highlights-title"')]
    assert board_data["late"].wording in attention
    # The story, shortened, with the whole text one click away.
    assert '<details class="story d-print-none"><summary>Départ de deux employées' in attention
    assert LATE_STORY in unescape(attention)
    assert "Faits saillants" in html
    assert "depuis la période 2018-2019" in html


def _row(html, indicator):
    url = re.escape(indicator.get_absolute_url())
    match = re.search(
        rf'<tr class="indicator-row"[^>]*>\s*<th[^>]*><a href="{url}">.*?</tr>', html, re.S
    )
    assert match, indicator.wording
    return match.group(0)


def test_every_status_has_its_story_direction_and_baseline_on_each_page(board_client, board_data):
    orientation = board_data["late"].result.orientation
    for url in [
        DASHBOARD,
        orientation.get_absolute_url(),
        board_data["late"].result.get_absolute_url(),
    ]:
        html = board_client.get(url).content.decode()
        row = _row(html, board_data["late"])
        assert "en retard" in row
        assert "Départ de deux employées" in row
        # The arrow is explained in words, never left bare.
        assert '<span aria-hidden="true">↑</span> plus élevé est mieux' in row
    html = board_client.get(DASHBOARD).content.decode()
    assert "Le sondage a été reporté à l&#x27;an prochain." in _row(html, board_data["unmeasured"])


def test_levels_read_as_words_never_as_a_percentage(board_client, board_data):
    for url in [DASHBOARD, reverse("board:board_report")]:
        html = board_client.get(url).content.decode()
        match = re.search(
            r'<tr class="indicator-row" data-status="late">\s*<th[^>]*>(<a [^>]*>)?'
            + re.escape(escape(board_data["level"].wording))
            + r".*?</tr>",
            html,
            re.S,
        )
        assert match, url
        row = match.group(0)
        assert LEVEL_PHRASE in row
        assert "%" not in re.sub(r"<svg.*?</svg>", "", row, flags=re.S)


def test_cumulative_values_are_labelled_beside_the_period_value(board_client, board_data):
    row = _row(board_client.get(DASHBOARD).content.decode(), board_data["cumulative"])
    assert "11\xa0outils (cumul) · cible 10\xa0outils" in row
    assert "5\xa0outils en 2019-2020" in row


def test_status_filter_is_a_bookmarkable_query_string(board_client, board_data):
    html = board_client.get(DASHBOARD, {"statut": "late,watch"}).content.decode()
    statuses = set(re.findall(r'<tr class="indicator-row" data-status="(\w+)"', html))
    assert statuses == {"late"}
    assert "Vue filtrée : 2 indicateurs sur 19." in html
    # Counts never change with the filter; the summary still shows everything.
    assert "atteinte\xa0: 1" in html
    everything = board_client.get(DASHBOARD).content.decode()
    assert len(re.findall(r'<tr class="indicator-row"', everything)) == 19
    # Unknown words are ignored.
    ignored = board_client.get(DASHBOARD, {"statut": "n'importe"}).content.decode()
    assert len(re.findall(r'<tr class="indicator-row"', ignored)) == 19


def test_orientations_fold_with_details_and_start_open_on_a_small_plan(board_client, board_data):
    html = board_client.get(DASHBOARD).content.decode()
    assert html.count('<details class="card mb-3 orientation" open>') == 5


def test_report_has_the_summary_stories_and_strategy_numbers(board_client, board_data):
    html = board_client.get(reverse("board:board_report")).content.decode()
    assert 'class="board-summary' in html
    assert LATE_STORY.replace("'", "&#x27;") in html
    assert '<td class="strategy-number">1.1</td>' in html
    assert '<button type="button" class="btn btn-sm btn-primary" data-print hidden>' in html
    assert "/static/js/print.js" in html
    assert "<script>" not in html


def test_report_xlsx_has_the_story_and_the_level_in_words(board_client, board_data):
    response = board_client.get(reverse("board:board_report_xlsx"))
    sheet = load_workbook(BytesIO(response.getvalue()))["Indicateurs"]
    headers = [cell.value for cell in sheet[5]]
    rows = {
        row[2]: dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=6, values_only=True)
    }
    late = rows[board_data["late"].wording]
    assert late["Récit ou explication"] == LATE_STORY
    level = rows[board_data["level"].wording]
    assert level["Valeur · cible"] == LEVEL_PHRASE
    assert level["Progression (%)"] is None
    assert rows[board_data["unmeasured"].wording]["Récit ou explication"] == (
        "Le sondage a été reporté à l'an prochain."
    )
    assert rows[board_data["cumulative"].wording]["Valeur · cible"] == (
        "11\xa0outils (cumul) · cible 10\xa0outils"
    )
