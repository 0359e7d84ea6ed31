"""Once the next plan is current, the 2018-2023 plan stays readable at its own URLs: a board
member reaches its dashboard, report, XLSX and since page through the plan switcher."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook
from playwright.sync_api import expect

from indicators.lifecycle.copy import plan_copy
from plan.models import StrategicPlan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEXT_TITLE = "Plan stratégique 2023-2028"
AXE = Axe()


def serious_violations(page):
    results = AXE.run(page)
    return [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_making_the_copy_current_leaves_the_2018_2023_pages_readable_at_their_own_urls(
    page, live_server, log_in, plan_2018_2023, board_user
):
    copy = plan_copy(source=plan_2018_2023, title=NEXT_TITLE, start_year=2023, end_year=2028)
    StrategicPlan.objects.update(is_current=False)
    StrategicPlan.objects.filter(pk=copy.pk).update(is_current=True)
    old = f"{live_server.url}/plans/2018-2023/"

    log_in(page, "andre", "mot-de-passe-conseil")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEXT_TITLE)

    # The plan switcher leads to the 2018-2023 dashboard, at its own URL.
    switcher = page.get_by_role("navigation", name="Autres plans")
    switcher.get_by_role("link", name=re.compile("^2018-2023")).click()
    expect(page).to_have_url(old)
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_2018_2023.title)
    expect(page.get_by_text("Ce n’est pas le plan courant")).to_be_visible()
    expect(page.locator("tr.indicator-row")).to_have_count(19)
    assert serious_violations(page) == []

    # Its report.
    page.get_by_role("link", name="Rapport au conseil (impression)").click()
    expect(page).to_have_url(re.compile(re.escape(f"{old}rapport/")))
    expect(page.get_by_role("heading", level=1)).to_have_text(plan_2018_2023.title)
    assert NEXT_TITLE not in page.inner_text("body")

    # Its spreadsheet.
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en XLSX").click()
    assert download.value.url.startswith(f"{old}rapport.xlsx")
    workbook = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.worksheets[0]["A1"].value == plan_2018_2023.title

    # Back to its dashboard, then its since page.
    page.get_by_role("link", name="Retour au tableau de bord").click()
    expect(page).to_have_url(old)
    page.get_by_role("link", name="Depuis la dernière rencontre").click()
    expect(page).to_have_url(f"{old}depuis-la-derniere-rencontre/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Depuis la dernière rencontre")
    expect(page.get_by_text(plan_2018_2023.title)).to_be_visible()
    assert serious_violations(page) == []

    # The switcher leads back to the current plan, at /.
    page.goto(old)
    page.get_by_role("navigation", name="Autres plans").get_by_role(
        "link", name=re.compile("^2023-2028")
    ).click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEXT_TITLE)
