"""The menu in a real browser: one line per item at 1366 px for the longest menu (staff who
also edit targets and administer), the other language and the account's links whole on a
phone, the account's links reachable without JavaScript."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from plan.roles import STAFF_GROUP
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Axe()
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# How many lines an element's text takes: its content height over its line height.
LINES = """element => {
  const style = getComputedStyle(element);
  const height = element.getBoundingClientRect().height - parseFloat(style.paddingTop)
    - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth)
    - parseFloat(style.borderBottomWidth);
  return Math.round(height / parseFloat(style.lineHeight));
}"""
# The right edge of the navigation bar's content (its container, less its padding).
MENU_RIGHT = """() => {
  const container = document.querySelector("nav.navbar > .container");
  const padding = parseFloat(getComputedStyle(container).paddingRight);
  return container.getBoundingClientRect().right - padding;
}"""
CLIPPED = "element => element.scrollWidth > element.clientWidth"


@pytest.fixture
def longest_menu(plan_2018_2023):
    """Staff who also edit targets and open the administration: every item of the menu."""
    user = factories.member(
        "sophie",
        STAFF_GROUP,
        password="mot-de-passe-cibles",
        first_name="Marie-Ève",
        last_name="Bouchard-Tremblay",
        is_staff=True,
    )
    user.user_permissions.add(Permission.objects.get(codename="edit_targets"))
    return user


def serious(page):
    return [
        f"{violation['id']} ({violation['impact']})"
        for violation in AXE.run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_at_1366_px_every_item_of_the_menu_holds_on_one_line(
    page, live_server, log_in, longest_menu
):
    page.set_viewport_size(DESKTOP)
    log_in(page, "sophie", "mot-de-passe-cibles")
    menu = page.get_by_role("navigation", name="Navigation principale")
    for name in (
        "Tableau de bord",
        "Plan",
        "À saisir",
        "Grille des cibles",
        "Rencontres du conseil",
        "Administration",
    ):
        link = menu.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert link.evaluate(LINES) == 1, name
    language = menu.get_by_role("button", name="English")
    assert not language.evaluate(CLIPPED)
    account = menu.locator("summary", has_text="Marie-Ève")
    assert account.evaluate(LINES) == 1
    # The whole menu is one row, inside the window.
    assert menu.bounding_box()["height"] < 70
    box = account.bounding_box()
    assert box["x"] + box["width"] <= page.evaluate(MENU_RIGHT) + 0.5
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )

    account.click()
    expect(menu.get_by_text("Marie-Ève Bouchard-Tremblay")).to_be_visible()
    expect(menu.get_by_role("button", name="Se déconnecter")).to_be_in_viewport()
    assert serious(page) == []


def test_on_a_phone_the_open_menu_shows_the_language_and_the_whole_log_out(
    page, live_server, log_in, longest_menu
):
    page.set_viewport_size(PHONE)
    log_in(page, "sophie", "mot-de-passe-cibles")
    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.get_by_role("button", name="Afficher le menu").click()
    # Bootstrap adds « show » once the menu has finished unfolding; a click during the
    # unfolding can land beside the account.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))

    language = menu.get_by_role("button", name="English")
    expect(language).to_be_visible()
    assert not language.evaluate(CLIPPED)
    menu.locator("summary", has_text="Marie-Ève").click()
    expect(menu.locator("details.navbar-account")).to_have_attribute("open", "")
    log_out = menu.get_by_role("button", name="Se déconnecter")
    expect(log_out).to_be_in_viewport(ratio=1)
    assert not log_out.evaluate(CLIPPED)
    box = log_out.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert serious(page) == []

    log_out.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")


def test_without_javascript_the_account_links_still_open(browser, live_server, longest_menu):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill("sophie")
    page.get_by_label("Mot de passe").fill("mot-de-passe-cibles")
    page.get_by_role("button", name="Connexion").click()

    page.locator("summary", has_text="Marie-Ève").click()
    page.get_by_role("link", name="Mes courriels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes courriels")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My e-mails")
    context.close()
