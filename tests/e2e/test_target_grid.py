"""The targets grid in a real browser: a block copied from a spreadsheet is pasted into one
cell and saved in one step; a block with one bad cell is refused, showing that cell."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from indicators.models import Target
from plan.roles import STAFF_GROUP
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Axe()
PERIODS = ["2018-2019", "2019-2020", "2020-2021", "2021-2022", "2022-2023"]
# The first eight rows of the grid: counts by category, and two levels (scale 1 to 5).
CODES = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2"]
LEVELS = {"1.3", "1.4"}


def block(bad=None, shift=0):
    """8 rows × 5 periods as a spreadsheet copies them (tabs, CRLF); `bad`: (row, col, text)."""
    rows = []
    for number, code in enumerate(CODES):
        if code in LEVELS:
            values = [str(level) for level in range(1, 6)]
        else:
            values = [f"{(number + 1) * 10 * (col + 1) + shift}" for col in range(5)]
            values[4] = f"1 {values[4].rjust(3, '0')}"  # "1 050": a French thousands separator
        rows.append(values)
    if bad:
        row, col, text = bad
        rows[row][col] = text
    return "".join("\t".join(values) + "\r\n" for values in rows)


def expected(shift=0):
    """{(code, period name): value} that `block(shift=…)` saves."""
    saved = {}
    for text_row, code in zip(block(shift=shift).split("\r\n"), CODES, strict=False):
        for period, text in zip(PERIODS, text_row.split("\t"), strict=True):
            saved[(code, period)] = int(text.replace(" ", ""))
    return saved


def saved_targets():
    return {
        (f"{t.indicator.result.number}.{t.indicator.order}", t.period.name): int(t.value)
        for t in Target.objects.select_related("indicator__result", "period")
    }


def serious_violations(page):
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def paste(page, cell, text):
    """Copy `text` to the clipboard and paste it into `cell` with Ctrl+V, as a person does."""
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    cell.click()
    page.keyboard.press("Control+V")


@pytest.fixture
def target_editor(db):
    user = factories.member("sophie", STAFF_GROUP, password="mot-de-passe-cibles")
    user.user_permissions.add(Permission.objects.get(codename="edit_targets"))
    return user


def test_a_pasted_block_is_saved_in_one_step_and_a_bad_cell_is_refused(
    page, live_server, log_in, plan_2018_2023, target_editor
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, "sophie", "mot-de-passe-cibles")
    page.goto(f"{live_server.url}/saisie/")
    # The grid is in the menu of those who may use it.
    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.get_by_role("link", name="Grille des cibles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grille des cibles")
    # It names what it leaves out, and why.
    expect(page.locator("#left-out")).to_contain_text("qualitatif")
    expect(page.locator("#left-out")).to_contain_text("6.3 – Perception du rôle du TIESS.")
    assert serious_violations(page) == []

    # One paste into the first cell fills 8 indicators × 5 periods.
    first = page.get_by_label("Cible de 1.1 pour 2018-2019")
    paste(page, first, block())
    expect(page.get_by_role("status")).to_contain_text("40 cellules remplies")
    expect(page.get_by_label("Cible de 3.2 pour 2022-2023")).to_have_value("1 400")
    expect(page.get_by_label("Cible de 1.3 pour 2021-2022")).to_have_value("4")
    expect(page.get_by_label("Cible de 4.1 pour 2018-2019")).to_have_value("")
    page.get_by_role("button", name="Enregistrer les cibles").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Les cibles ont été enregistrées (créées ou modifiées : 40 ; supprimées : 0)."
    )
    assert saved_targets() == expected()
    # Saved, the number is shown as French writes it (and read back the same way).
    expect(page.get_by_label("Cible de 3.2 pour 2022-2023")).to_have_value(re.compile(r"^1\s400$"))
    history = Target.history.filter(history_type="+")
    assert history.count() == 40
    assert {h.history_user_id for h in history} == {target_editor.pk}

    # A second block changes every count, but one level is off the scale: nothing is saved.
    paste(page, page.get_by_label("Cible de 1.1 pour 2018-2019"), block(bad=(3, 2, "7"), shift=1))
    expect(page.get_by_label("Cible de 1.1 pour 2018-2019")).to_have_value("11")
    page.get_by_role("button", name="Enregistrer les cibles").click()
    summary = page.get_by_role("alert").first
    expect(summary).to_contain_text("1 cellule a été refusée : rien n’a été enregistré.")
    bad = page.get_by_label("Cible de 1.4 pour 2020-2021")
    expect(bad).to_have_value("7")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{bad.get_attribute('id')}-error")).to_have_text(
        "Choisissez un niveau de l’échelle (de 1 à 5)."
    )
    expect(page.locator("[aria-invalid=true]")).to_have_count(1)
    # What was typed stays; the database still has the first block.
    expect(page.get_by_label("Cible de 1.1 pour 2018-2019")).to_have_value("11")
    assert saved_targets() == expected()
    assert Target.history.count() == 40
    # The summary links to the refused cell.
    summary.get_by_role("link", name="1.4 · 2020-2021").click()
    expect(bad).to_be_focused()
    assert serious_violations(page) == []

    # On a phone the grid scrolls inside its box; the page itself is no wider than the window.
    page.set_viewport_size({"width": 390, "height": 844})
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_without_javascript_a_block_typed_in_the_box_is_saved(
    browser, live_server, plan_2018_2023, target_editor
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/cibles/")
    page.get_by_label("Nom d’utilisateur").fill("sophie")
    page.get_by_label("Mot de passe").fill("mot-de-passe-cibles")
    page.get_by_role("button", name="Connexion").click()
    page.get_by_label("Coller un bloc").fill(
        "Code\t2019-2020\t2020-2021\n1.3\t2\t3\n5.1\t4\t5\n1.2\t12,5\t20\n"
    )
    page.get_by_role("button", name="Enregistrer les cibles").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 cellule a été refusée")
    expect(page.get_by_label("Cible de 1.2 pour 2019-2020")).to_have_value("12,5")
    expect(page.get_by_label("Cible de 5.1 pour 2020-2021")).to_have_value("5")
    assert not Target.objects.exists()
    page.get_by_label("Cible de 1.2 pour 2019-2020").fill("12")
    page.get_by_role("button", name="Enregistrer les cibles").click()
    expect(page.get_by_role("alert").first).to_contain_text("créées ou modifiées : 6")
    assert saved_targets() == {
        ("1.3", "2019-2020"): 2,
        ("1.3", "2020-2021"): 3,
        ("5.1", "2019-2020"): 4,
        ("5.1", "2020-2021"): 5,
        ("1.2", "2019-2020"): 12,
        ("1.2", "2020-2021"): 20,
    }
    context.close()
