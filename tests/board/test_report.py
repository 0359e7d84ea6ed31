"""The board report: a printable French page and the same report as XLSX."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.board import reports
from indicators.board.data import load_plan_data
from indicators.board.viewmodels import build_board
from tests import codes, factories


def test_report_page_is_dated_french_and_printable(board_client, plan_2018_2023, staff_user):
    indicator = codes.indicator("1.2")
    period = codes.period("2021-2022")
    factories.target(indicator, period, Decimal(2000))
    factories.measurement(indicator, period, staff_user, value="1234.5")
    response = board_client.get(reverse("board:board_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert plan_2018_2023.title in html
    assert "Rapport au conseil d’administration" in html
    assert "Produit le " in html
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    assert any(f" {month} 20" in html for month in months.split())
    assert "1\xa0234,5\xa0outils" in html
    assert "en retard" in html
    assert 'media="print"' in html
    # No forced page break per orientation: no half-empty pages.
    assert "print-break-before" not in html


def test_print_stylesheet_sets_the_page_without_forcing_breaks_or_paper(settings):
    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert "@page" in css
    assert "break-before: page" not in css
    assert "tr, li" in css
    assert "break-inside: avoid" in css
    # Letter and A4 both print: no paper size is forced.
    assert "size: letter" not in css
    assert "size: A4" not in css


def test_report_xlsx_has_french_headers_and_numbers(board_client, plan_2018_2023, staff_user):
    indicator = codes.indicator("1.2")
    period = codes.period("2021-2022")
    factories.target(indicator, period, Decimal(2000))
    factories.measurement(indicator, period, staff_user, value="1234.5")
    response = board_client.get(reverse("board:board_report_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="rapport-2021-2022.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.getvalue()))
    assert workbook.sheetnames == ["Indicateurs", "Stratégies"]
    sheet = workbook["Indicateurs"]
    assert sheet["A1"].value == plan_2018_2023.title
    assert sheet["A2"].value == "Période : 2021-2022"
    assert sheet["A3"].value.startswith("Produit le ")
    headers = [cell.value for cell in sheet[5]]
    assert headers[:3] == ["Orientation", "Résultat", "Indicateur"]
    assert "Statut" in headers
    rows = {row[2]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert len(rows) == 19
    row = rows[indicator.wording]
    assert row[5] == 1234.5
    assert row[6] == 2000
    assert row[8] == "en retard"
    assert {r[8] for wording, r in rows.items() if wording != indicator.wording} <= {
        "donnée manquante",
        "sans cible",
    }
    strategies = list(workbook["Stratégies"].iter_rows(min_row=2, values_only=True))
    assert len(strategies) == 26
    assert strategies[0][3] == "aucun état consigné"


def test_report_requires_login(client, db):
    for name in ("board:board_report", "board:board_report_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302


def test_report_date_is_today(board_client, plan_2018_2023):
    from django.utils import formats, timezone, translation

    with translation.override("fr-ca"):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert f"Produit le {today}" in board_client.get(reverse("board:board_report")).content.decode()
    assert isinstance(timezone.localdate(), datetime.date)


def test_report_xlsx_says_when_it_was_produced_in_quebec_typography(board_client, board_data):
    """« 17 h 44 », never Django fr's « 17 05 44 »; « 1er » on the first of a month."""
    data = load_plan_data(codes.the_plan())
    board = build_board(data, board_data["second"], timezone.localdate())
    produced_at = timezone.make_aware(datetime.datetime(2026, 12, 1, 17, 44))
    indicators, _strategies = reports.board_sheets(board, produced_at=produced_at)
    assert indicators.preamble[2] == "Produit le 1er décembre 2026, 17\xa0h\xa044"
    workbook = load_workbook(BytesIO(board_client.get(reverse("board:board_report_xlsx")).content))
    produced = workbook["Indicateurs"]["A3"].value
    assert re.fullmatch(r"Produit le \d{1,2}(er)? [a-zéû]+ \d{4}, \d{1,2}\xa0h\xa0\d\d", produced)
