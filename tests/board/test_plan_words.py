"""The plan's words are never cut: a result or strategy is shown whole, its a), b), c) included,
on the dashboard, the report (page and XLSX) and a frozen pack."""

import datetime
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from indicators.board import services
from plan.models import Orientation, Result, Strategy

RESULT_1_ITEMS = [
    "a) Des outils et des activités utiles à leur évolution;",
    "b) Des mécanismes d'appropriation de ces outils.",
]
STRATEGY_3_4_ITEMS = [
    "a) Les initiatives et pratiques émergentes à travers les territoires au Québec;",
    "b) Les nouvelles grappes d'innovation en économie sociale;",
    "c) Les pratiques porteuses au niveau international.",
]
STRATEGY_3_5_ITEMS = [
    "a) De discuter des thèmes à explorer pouvant mener à la mise en œuvre de projets;",
    "b) De sélectionner et de mettre en priorité les thèmes et les projets développés par le "
    "TIESS.",
]
EVERY_ITEM = RESULT_1_ITEMS + STRATEGY_3_4_ITEMS + STRATEGY_3_5_ITEMS


def assert_every_item_in(html):
    for item in EVERY_ITEM:
        assert escape(item) in html, item


def test_dashboard_shows_results_and_strategies_whole(board_client, board_data):
    html = board_client.get(reverse("board:dashboard")).content.decode()
    assert_every_item_in(html)
    # The strategy matrix no longer cuts a strategy after 18 words.
    strategy = Strategy.objects.get(orientation__number=1, order=2)
    assert escape(strategy.text) in html


def test_report_page_shows_results_and_strategies_whole(board_client, board_data):
    html = board_client.get(reverse("board:board_report")).content.decode()
    assert_every_item_in(html)
    result = Result.objects.get(number=1)
    heading = html[html.index(escape(result.statement)) - 200 :]
    assert heading.index("<h3") < heading.index(escape(RESULT_1_ITEMS[1])) < heading.index("</h3>")


def test_report_xlsx_has_the_whole_text_in_each_cell(board_client, board_data):
    response = board_client.get(reverse("board:board_report_xlsx"))
    workbook = load_workbook(BytesIO(response.getvalue()))
    rows = list(workbook["Indicateurs"].iter_rows(min_row=6, values_only=True))
    result = Result.objects.get(number=1)
    first = next(row for row in rows if row[1].startswith("Résultat 1 "))
    assert first[1] == "\n".join([f"Résultat 1 – {result.statement}", *RESULT_1_ITEMS])
    strategies = {
        row[1].split(" ")[0]: row[1]
        for row in workbook["Stratégies"].iter_rows(min_row=2, values_only=True)
    }
    assert strategies["3.4"] == "\n".join(
        ["3.4 Maintien de la veille stratégique sur :", *STRATEGY_3_4_ITEMS]
    )
    assert strategies["3.5"].endswith("\n".join(STRATEGY_3_5_ITEMS))


def test_a_frozen_pack_keeps_and_shows_the_items(
    board_client, board_data, plan_2018_2023, staff_user
):
    meeting = services.meeting_create(
        plan=plan_2018_2023,
        date=timezone.localdate() - datetime.timedelta(days=1),
        title="Conseil",
        period=board_data["second"],
        user=staff_user,
    )
    pack = services.meeting_present(meeting=meeting, user=staff_user)
    orientation_3 = next(o for o in pack.content["orientations"] if o["number"] == 3)
    strategy = next(s for s in orientation_3["strategies"] if s["number"] == "3.4")
    assert [f"{i['letter']}) {i['text']}" for i in strategy["items"]] == STRATEGY_3_4_ITEMS
    assert_every_item_in(board_client.get(pack.get_absolute_url()).content.decode())


def test_orientation_and_result_pages_show_the_items(board_client, board_data):
    pages = [
        Orientation.objects.get(number=3),
        Orientation.objects.get(number=1),
        Result.objects.get(number=1),
    ]
    assert_every_item_in(
        "".join(board_client.get(p.get_absolute_url()).content.decode() for p in pages)
    )


def test_recording_a_strategys_state_shows_the_strategy_whole(staff_client, plan_2018_2023):
    strategy = Strategy.objects.get(orientation__number=3, order=4)
    url = reverse("indicators:strategyprogress_new", args=[strategy.pk])
    html = staff_client.get(url).content.decode()
    for item in STRATEGY_3_4_ITEMS:
        assert escape(item) in html
