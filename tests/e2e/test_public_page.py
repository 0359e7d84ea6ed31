"""The public progress page in a real browser, without login: at 1366 and 390 px, axe-core
finds no serious or critical violation, nothing is wider than the window, the language switch
works anonymously, and the printed page keeps the indicators without the navigation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import codes
from tests.public.published import publish_plan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE = Axe()


@pytest.fixture
def published(plan_2018_2023, staff_user):
    return publish_plan(plan_2018_2023, staff_user)


def serious_violations(page):
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("size", "name"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_public_page_reads_without_login_on_a_screen_and_a_phone(
    page, live_server, published, artifacts_dir, size, name
):
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="Plan stratégique 2018-2023").click()
    expect(page).to_have_url(f"{live_server.url}/public/2018-2023/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan stratégique 2018-2023")
    row = page.get_by_role("row", name=codes.indicator("2.1").wording)
    expect(row).to_contain_text("atteinte")
    expect(row).to_contain_text("Cible atteinte en 2019.")
    assert overflow(page) <= 0
    assert serious_violations(page) == []
    page.screenshot(path=artifacts_dir / f"public-{name}-fr.png", full_page=False)
    # The result's page: each published indicator with its chart.
    page.get_by_role("link", name="Graphiques et valeurs par période du Résultat 2").click()
    expect(page).to_have_url(f"{live_server.url}/public/2018-2023/resultats/2/")
    indicator = page.get_by_role("heading", name=codes.indicator("2.1").wording)
    article = page.locator("article.public-indicator", has=indicator)
    expect(article).to_contain_text("Cible atteinte en 2019.")
    chart = article.get_by_role("img")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    assert overflow(page) <= 0
    assert serious_violations(page) == []
    page.screenshot(path=artifacts_dir / f"public-result-{name}-fr.png", full_page=False)


def test_the_language_switch_works_without_login(page, live_server, published, artifacts_dir):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/public/2018-2023/")
    page.get_by_role("button", name="Afficher le menu").click()
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/public/2018-2023/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Values of the period 2019-2020")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts_dir / "public-phone-en.png", full_page=False)


def test_the_printed_page_keeps_the_indicators_and_drops_the_navigation(
    page, live_server, published
):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/public/2018-2023/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_hidden()
    expect(page.locator("p.public-address")).to_be_visible()
    expect(page.get_by_role("row", name=codes.indicator("2.1").wording)).to_be_visible()
    assert page.pdf(format="Letter")[:4] == b"%PDF"
