"""A board member reads the dashboard in a real browser, opens an indicator, prints the report."""

import pytest
from playwright.sync_api import expect

from plan.models import StrategicPlan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STATUS_WORDS = ("donnée manquante", "sans cible")


def test_board_member_reads_the_dashboard_and_prints_the_report(
    page, live_server, log_in, plan_2018_2023, board_user, artifacts_dir
):
    StrategicPlan.objects.filter(pk=plan_2018_2023.pk).update(is_current=True)
    log_in(page, "andre", "mot-de-passe-conseil")

    # The first page after login is the dashboard of the current plan.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_2018_2023.title)
    orientations = page.locator("details.orientation h3")
    expect(orientations).to_have_count(5)
    for number in range(1, 6):
        expect(orientations.nth(number - 1)).to_contain_text(f"Orientation {number}")

    # Every indicator shows a status word (no value yet) and a chart.
    rows = page.locator("tr.indicator-row")
    expect(rows).to_have_count(19)
    for index in range(19):
        status = rows.nth(index).locator(".status").inner_text()
        assert status in STATUS_WORDS
    charts = page.get_by_role("img", name="Tendance : 2018-2019", exact=False)
    expect(charts).to_have_count(19)
    expect(page.get_by_text("Matrice stratégies × résultats")).to_be_visible()

    # Open an indicator.
    first = rows.first.locator("th a")
    wording = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(wording)

    # Print the board report.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Rapport au conseil (impression)").click()
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_2018_2023.title)
    expect(page.get_by_text("Produit le ")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    assert plan_2018_2023.title in page.inner_text("body")
    screenshot = artifacts_dir / "rapport-conseil.png"
    page.screenshot(path=str(screenshot), full_page=True)
    pdf = artifacts_dir / "rapport-conseil.pdf"
    page.pdf(path=str(pdf), format="Letter", print_background=False)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(content) > 10_000
    assert screenshot.stat().st_size > 0
