"""A staff member records then corrects a count by category in a real browser; the board reads.
The indicator page at 1366 and 390 px: the form near the top, the live total over every
category, categories in line, periods on one line, tables a keyboard can scroll (axe)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from indicators.models import Measurement
from tests import codes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Axe()
WIDTHS = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]
# How many lines a text takes: its boxes' distinct heights.
LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
}"""
# The tops of the category inputs that share a row of the grid: {row top: [input tops]}.
INPUT_ROWS = """() => {
  const rows = {};
  document.querySelectorAll(".breakdown-grid > .col").forEach(cell => {
    const row = Math.round(cell.getBoundingClientRect().top);
    const input = cell.querySelector("input").getBoundingClientRect().top;
    (rows[row] = rows[row] || []).push(Math.round(input));
  });
  return rows;
}"""


def serious(page):
    return [
        f"{violation['id']} ({violation['impact']})"
        for violation in AXE.run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_staff_records_and_corrects_a_count_by_category_the_board_only_reads(
    page, live_server, log_in, plan_2018_2023, staff_user, board_user, client
):
    indicator = codes.indicator("1.2")  # “Nombre et types d'outils accessibles.”

    # Marie (Personnel) logs in through the form and opens the indicator from the plan.
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}/plan/")
    page.get_by_role("link", name=indicator.wording).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.wording)
    expect(page.get_by_role("heading", name="Saisir la valeur de 2022-2023")).to_be_visible()

    # She records a count by category; the total is derived, never typed.
    page.get_by_label("Guide ou trousse").fill("3")
    page.get_by_label("Formation ou atelier").fill("4")
    total = page.locator("#breakdown-total")
    expect(total).to_have_text("7")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "La valeur de 2022-2023 a été enregistrée."
    )
    row = page.locator("#valeurs tbody tr", has_text="2022-2023")
    expect(row.locator(".measurement-value")).to_contain_text("7")
    expect(row).to_contain_text("Guide ou trousse : 3")
    expect(row).to_contain_text("Formation ou atelier : 4")

    # She corrects it, with a reason.
    row.get_by_role("link", name="Corriger").click()
    expect(page.get_by_role("heading", name="Corriger la valeur de 2022-2023")).to_be_visible()
    expect(page.get_by_label("Guide ou trousse")).to_have_value("3")
    page.get_by_label("Guide ou trousse").fill("5")
    expect(total).to_have_text("9")
    page.get_by_label("Raison de la modification").fill("Deux guides avaient été oubliés")
    page.get_by_role("button", name="Enregistrer").click()
    row = page.locator("#valeurs tbody tr", has_text="2022-2023")
    expect(row.locator(".measurement-value")).to_contain_text("9")

    # The history shows both versions, who, and the reason.
    history = page.locator("#historique tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("correction")
    expect(history.nth(0)).to_contain_text("Valeur : 7 outils → 9 outils")
    expect(history.nth(0)).to_contain_text("Guide ou trousse : 3 → 5")
    expect(history.nth(0)).to_contain_text("Deux guides avaient été oubliés")
    expect(history.nth(0)).to_contain_text("Marie Tremblay")
    expect(history.nth(1)).to_contain_text("première saisie")
    expect(history.nth(1)).to_contain_text("Valeur : 7")

    # André (board) sees the value but no form.
    page.context.clear_cookies()
    log_in(page, "andre", "mot-de-passe-conseil")
    page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
    row = page.locator("#valeurs tbody tr", has_text="2022-2023")
    expect(row.locator(".measurement-value")).to_contain_text("9")
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^(Corriger|Saisir)$"))).to_have_count(0)

    # … and posting a value anyway is refused.
    client.force_login(board_user)
    measurement = Measurement.objects.get(indicator=indicator)
    response = client.post(
        indicator.get_absolute_url(),
        {
            "period": measurement.period_id,
            "version": measurement.version,
            "status": "recorded",
            f"cat_{indicator.dimension.categories.first().pk}": "99",
            "reason": "Essai",
        },
    )
    assert response.status_code == 403
    measurement.refresh_from_db()
    assert measurement.value == 9
    assert measurement.version == 2


def test_staff_find_the_form_near_the_top_and_a_page_that_reads_well(
    page, live_server, log_in, recorded_data
):
    """Indicator 1.1 has seven categories with long names, a value in 2018-2019, a chart and
    a history."""
    indicator = recorded_data.indicator
    log_in(page, "marie", "mot-de-passe-personnel")
    for size in WIDTHS:
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
        expect(
            page.get_by_role("heading", name="Saisir la valeur de 2022-2023")
        ).to_be_in_viewport()
        expect(page.get_by_label("Une valeur a été mesurée")).to_be_in_viewport()
        # A category whose name wraps keeps its input in line with its neighbours'.
        for row_top, tops in page.evaluate(INPUT_ROWS).items():
            assert len(set(tops)) == 1, (size, row_top, tops)
        # « 2018-2019 » never breaks after its hyphen.
        periods = page.locator(
            ".values-table th[scope=row] .text-nowrap, .chart-table th[scope=row], "
            ".history-table td.text-nowrap"
        )
        assert periods.count() == 5 + 5 + 2
        for index in range(periods.count()):
            assert periods.nth(index).evaluate(LINES) == 1, (size, index)
        assert serious(page) == [], size


def test_the_live_total_counts_every_category_and_the_server_shows_it_again(
    page, live_server, log_in, plan_2018_2023, staff_user
):
    indicator = codes.indicator("1.1")
    categories = list(indicator.dimension.categories.all())
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
    total = page.locator("#breakdown-total")
    expect(total).to_have_text("0")

    running = 0
    for number, category in enumerate(categories, 1):
        page.get_by_label(category.name, exact=True).press_sequentially(str(number))
        running += number
        expect(total).to_have_text(str(running))
    assert running == 28  # the last category (7) included

    # An error elsewhere: the page comes back with every category and the same total.
    page.get_by_label("Liens vers des preuves").fill("pas une adresse")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".form-error-summary")).to_contain_text("pas une adresse")
    expect(total).to_have_text("28")
    expect(page.get_by_label(categories[-1].name, exact=True)).to_have_value("7")
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_the_board_scrolls_the_values_table_with_the_keyboard_on_a_phone(
    page, live_server, log_in, recorded_data
):
    log_in(page, "andre", "mot-de-passe-conseil")
    page.set_viewport_size(WIDTHS[1])
    page.goto(f"{live_server.url}{recorded_data.indicator.get_absolute_url()}")
    values = page.get_by_role("region", name="Tableau des cibles et valeurs par période")
    assert values.evaluate("element => element.scrollWidth > element.clientWidth")

    values.focus()
    expect(values).to_be_focused()
    page.keyboard.press("End")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert values.evaluate("element => element.scrollLeft") > 0
    assert serious(page) == []
