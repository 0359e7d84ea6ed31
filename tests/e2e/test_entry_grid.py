"""Staff record a whole period from the entry grid in a real browser: with the script each row
saves on its own without any page navigation; without JavaScript the grid is a plain form.
A value ten times the previous period's asks for a confirmation, kept in the history."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from indicators.models import MeasureKind, Measurement
from tests import codes, factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
AXE = Axe()


@pytest.fixture
def grid(plan_2018_2023, staff_user):
    """The period 2022-2023, four indicators of different kinds, and a count whose previous
    period (2021-2022) was 10."""
    period = codes.period("2022-2023")
    count = factories.indicator(
        codes.result(1), kind=MeasureKind.COUNT, order=20, wording="Nombre de formations données"
    )
    factories.measurement(count, codes.period("2021-2022"), staff_user, 10)
    return {
        "period": period,
        "count": count,
        "tools": codes.indicator("1.2"),  # count by category
        "level": codes.indicator("1.3"),  # level on a scale
        "story": codes.indicator("6.3"),  # narrative
        "url": reverse("indicators:measurement_grid", args=[period.pk]),
    }


def row(page, indicator):
    return page.locator(f"#row-{indicator.pk}")


def status(page, indicator):
    return page.locator(f"#row-{indicator.pk} .entry-row-status")


def value(indicator, period):
    return Measurement.objects.get(indicator=indicator, period=period)


def test_staff_record_a_period_from_the_grid_without_any_page_navigation(
    page, live_server, log_in, grid, staff_user
):
    period = grid["period"]
    log_in(page, "marie", "mot-de-passe-personnel")
    # Staff land on « À saisir », which leads to the grid.
    assert page.url.endswith(reverse("indicators:measurement_todo"))
    page.get_by_role("link", name="Saisir 2022-2023 dans une grille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir les valeurs de 2022-2023")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    # A count: typed, then Enter saves the row and moves on.
    row(page, grid["count"]).locator("input[name$='-value']").fill("12")
    row(page, grid["count"]).locator("input[name$='-value']").press("Enter")
    expect(status(page, grid["count"])).to_have_text("enregistré")
    # A count by category: the categories, then Tab out of the row.
    tools = row(page, grid["tools"])
    tools.get_by_label("Guide ou trousse").fill("3")
    tools.get_by_label("Formation ou atelier").fill("4")
    tools.get_by_label("Formation ou atelier").press("Enter")
    expect(status(page, grid["tools"])).to_have_text("enregistré")
    # A level, chosen in its scale.
    row(page, grid["level"]).locator("select").select_option("3")
    row(page, grid["level"]).locator("select").press("Enter")
    expect(status(page, grid["level"])).to_have_text("enregistré")
    # A narrative: leaving the row saves it.
    row(page, grid["story"]).locator("textarea").fill("Les partenaires citent nos guides.")
    page.get_by_role("heading", level=1).click()
    expect(status(page, grid["story"])).to_have_text("enregistré")

    # A correction asks for its reason in the row.
    count_input = row(page, grid["count"]).locator("input[name$='-value']")
    count_input.fill("14")
    count_input.press("Enter")
    expect(status(page, grid["count"])).to_contain_text("non enregistré")
    expect(row(page, grid["count"])).to_contain_text("indiquez la raison")
    row(page, grid["count"]).locator("textarea[name$='-reason']").fill("Deux formations oubliées")
    row(page, grid["count"]).locator("input[name$='-value']").press("Enter")
    expect(status(page, grid["count"])).to_have_text("enregistré")

    assert navigations == []
    assert value(grid["count"], period).value == 14
    assert value(grid["count"], period).version == 2
    assert (
        value(grid["count"], period).history.first().history_change_reason
        == "Deux formations oubliées"
    )
    assert value(grid["tools"], period).value == 7
    assert value(grid["level"], period).value == 3
    assert value(grid["story"], period).narrative == "Les partenaires citent nos guides."
    # The indicator page (values and history) agrees.
    page.goto(f"{live_server.url}{grid['count'].get_absolute_url()}")
    expect(page.locator("#valeurs tbody tr", has_text="2022-2023")).to_contain_text("14")
    expect(page.locator("#historique")).to_contain_text("Deux formations oubliées")


def test_ten_times_the_previous_value_asks_for_confirmation_in_the_grid(
    page, live_server, log_in, grid
):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")
    count_input = row(page, grid["count"]).locator("input[name$='-value']")
    count_input.fill("100")
    count_input.press("Enter")

    expect(row(page, grid["count"])).to_contain_text("plus de 3 fois")
    assert not Measurement.objects.filter(indicator=grid["count"], period=grid["period"]).exists()
    row(page, grid["count"]).get_by_label("Je confirme cette valeur").check()
    row(page, grid["count"]).get_by_label("Je confirme cette valeur").press("Enter")
    expect(status(page, grid["count"])).to_have_text("enregistré")

    saved = value(grid["count"], grid["period"])
    assert saved.value == 100
    assert saved.history.get().plausibility_confirmation.startswith("Valeur confirmée")


def test_ten_times_the_previous_value_asks_for_confirmation_on_the_indicator_page(
    page, live_server, log_in, grid
):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['count'].get_absolute_url()}?periode={grid['period'].pk}")
    page.locator("#saisie input[name='value']").fill("100")
    page.get_by_role("button", name="Enregistrer").click()

    summary = page.locator(".form-error-summary")
    expect(summary).to_contain_text("plus de 3 fois")
    expect(summary.get_by_role("link").first).to_have_attribute("href", "#id_value")
    page.get_by_label("Je confirme cette valeur").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator("#saved-message")).to_have_text("La valeur de 2022-2023 a été enregistrée.")
    expect(page.locator("#saved-message")).to_be_in_viewport()
    expect(page.locator("#historique")).to_contain_text("Valeur confirmée malgré le contrôle")
    assert value(grid["count"], grid["period"]).value == 100


def test_without_javascript_the_grid_is_a_plain_form(browser, live_server, log_in, grid):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    period = grid["period"]
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")

    row(page, grid["count"]).locator("input[name$='-value']").fill("12")
    row(page, grid["tools"]).get_by_label("Guide ou trousse").fill("3")
    row(page, grid["level"]).locator("select").select_option("3")
    row(page, grid["story"]).locator("textarea").fill("Les partenaires citent nos guides.")
    # One bad row does not stop the others.
    row(page, grid["tools"]).get_by_label("Formation ou atelier").fill("2,5")
    page.get_by_role("button", name="Enregistrer toutes les lignes").click()

    expect(page.get_by_role("alert").first).to_contain_text("3 valeurs ont été enregistrées.")
    expect(page.locator("#error-summary")).to_contain_text(grid["tools"].wording[:40])
    expect(status(page, grid["tools"])).to_contain_text("non enregistré")
    assert not Measurement.objects.filter(indicator=grid["tools"], period=period).exists()
    row(page, grid["tools"]).get_by_label("Formation ou atelier").fill("4")
    page.get_by_role("button", name="Enregistrer toutes les lignes").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 valeur a été enregistrée.")

    # A correction with its reason.
    row(page, grid["count"]).locator("input[name$='-value']").fill("14")
    row(page, grid["count"]).locator("textarea[name$='-reason']").fill("Deux formations oubliées")
    page.get_by_role("button", name="Enregistrer toutes les lignes").click()
    expect(page.get_by_role("alert").first).to_contain_text("1 valeur a été enregistrée.")

    assert value(grid["count"], period).value == 14
    assert value(grid["count"], period).history.first().history_change_reason == (
        "Deux formations oubliées"
    )
    assert value(grid["tools"], period).value == 7
    assert value(grid["level"], period).value == 3
    assert value(grid["story"], period).narrative == "Les partenaires citent nos guides."
    context.close()


def test_grid_and_todo_fit_a_phone_and_axe_finds_no_serious_violation(
    page, live_server, log_in, grid
):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.set_viewport_size(PHONE)
    problems = []
    for path in (grid["url"], reverse("indicators:measurement_todo")):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if width > 0:
            problems.append(f"{path}: wider than 390 px by {width} px")
    expect(page.get_by_role("columnheader", name="État")).to_be_in_viewport()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}{grid['url']}")
    results = AXE.run(page)
    problems += [
        f"{violation['id']} ({violation['impact']})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert problems == []


def test_the_board_lands_on_the_dashboard(page, live_server, log_in, plan_2018_2023, board_user):
    log_in(page, "andre", "mot-de-passe-conseil")

    assert page.url == f"{live_server.url}/"


def test_indicator_page_asks_before_leaving_unsaved_changes(page, live_server, log_in, grid):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['count'].get_absolute_url()}?periode={grid['period'].pk}")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.close(run_before_unload=True)  # nothing typed: leaves without asking
    assert dialogs == []

    page = page.context.new_page()
    page.on("dialog", stay)
    page.goto(f"{live_server.url}{grid['count'].get_absolute_url()}?periode={grid['period'].pk}")
    page.locator("#saisie input[name='value']").click()
    page.keyboard.type("5")
    page.close(run_before_unload=True)
    expect(page.locator("#saisie input[name='value']")).to_have_value("5")
    assert dialogs == ["beforeunload"]
