"""Staff record a whole period from the entry grid in a real browser: with the script each row
saves on its own without any page navigation; without JavaScript the grid is a plain form.
A value ten times the previous period's asks for a confirmation, kept in the history."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
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


def test_staff_record_a_period_of_the_four_kinds_with_the_keyboard_only(
    page, live_server, log_in, grid
):
    period = grid["period"]
    log_in(page, "marie", "mot-de-passe-personnel")
    page.get_by_role("link", name="Saisir 2022-2023 dans une grille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir les valeurs de 2022-2023")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    keys = page.keyboard
    not_measured = codes.indicator("1.4")

    # A level (1.3), typed in its scale; up to the count by category above it (1.2), whose
    # categories open in place; its first two categories; down again: 1.2 is saved.
    row(page, grid["level"]).locator("select").focus()  # where the person starts
    keys.type("3")
    keys.press("ArrowUp")
    keys.type("3")
    keys.press("ArrowRight")
    keys.type("4")
    keys.press("ArrowDown")
    expect(status(page, grid["tools"])).to_have_text("enregistré")
    expect(row(page, grid["tools"]).locator("output")).to_have_text("7")
    # Down to 1.4: 1.3 is saved. Right to « not measured », its explanation, Tab on.
    keys.press("ArrowDown")
    expect(status(page, grid["level"])).to_have_text("enregistré")
    keys.press("ArrowRight")
    keys.press("Space")
    keys.press("Tab")
    keys.type("Aucune collecte cette année.")
    for _ in range(3):  # the story, the link to the history, the next row (the count)
        keys.press("Tab")
    expect(status(page, not_measured)).to_have_text("enregistré")
    # The count and its story; back to the value, Enter saves and moves down.
    keys.type("12")
    keys.press("Tab")  # « not measured »
    keys.press("Tab")  # the story
    keys.type("Trois nouveaux partenaires.")
    keys.press("Shift+Tab")
    keys.press("Shift+Tab")
    keys.press("Enter")
    expect(status(page, grid["count"])).to_have_text("enregistré")
    # A narrative: Tab out of the row saves it.
    row(page, grid["story"]).locator("textarea").first.focus()
    keys.type("Les partenaires citent nos guides.")
    for _ in range(3):  # « not measured », the link to the history, the next row
        keys.press("Tab")
    expect(status(page, grid["story"])).to_have_text("enregistré")
    expect(page.locator("#grid-progress")).to_have_text("5 sur 20 saisis")

    assert navigations == []
    assert value(grid["tools"], period).value == 7
    assert value(grid["level"], period).value == 3
    assert value(not_measured, period).explanation == "Aucune collecte cette année."
    assert value(not_measured, period).status == "not_measured"
    assert (value(grid["count"], period).value, value(grid["count"], period).narrative) == (
        12,
        "Trois nouveaux partenaires.",
    )
    assert value(grid["story"], period).narrative == "Les partenaires citent nos guides."


def test_a_block_pasted_from_a_spreadsheet_fills_right_and_down_each_cell_checked(
    page, live_server, log_in, grid
):
    dimension = factories.dimension(categories=("Entreprise", "Réseau", "Autre"))
    counts = [
        factories.indicator(
            codes.result(1), kind=MeasureKind.COUNT_BY_CATEGORY, order=30 + n, dimension=dimension
        )
        for n in range(5)
    ]
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")
    block = "1\t2\t3\n4\t5\t6\n7\t8\t9\n10\t2,5\t12\n13\t14\t15\n"  # 3 columns, 5 rows

    first = row(page, counts[0]).locator("input[data-breakdown]").first
    row(page, counts[0]).locator("summary").click()
    first.focus()
    first.evaluate(
        """(cell, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            cell.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                            cancelable: true}));
        }""",
        block,
    )
    page.get_by_role("heading", level=1).click()  # leaves the first row: it is saved too

    for indicator in counts[:3] + counts[4:]:
        expect(status(page, indicator)).to_have_text("enregistré")
    expect(status(page, counts[3])).to_contain_text("non enregistré")
    expect(row(page, counts[3])).to_contain_text("entier")
    totals = [value(indicator, grid["period"]).value for indicator in counts[:3] + counts[4:]]
    assert totals == [6, 15, 24, 42]
    assert not Measurement.objects.filter(indicator=counts[3]).exists()


def test_a_correction_asks_for_its_reason_in_the_row(page, live_server, log_in, grid, staff_user):
    factories.measurement(grid["count"], grid["period"], staff_user, 12)
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")
    reason = row(page, grid["count"]).locator("textarea[name$='-reason']")
    expect(reason).to_be_hidden()

    count_input = row(page, grid["count"]).locator("input[name$='-value']")
    count_input.fill("14")
    expect(reason).to_be_visible()
    count_input.press("Enter")
    expect(status(page, grid["count"])).to_have_text(
        "non enregistré : indiquez la raison de la modification"
    )
    expect(page.locator("#grid-live")).to_contain_text("non enregistré")
    reason.fill("Deux formations oubliées")
    row(page, grid["count"]).locator("input[name$='-value']").press("Enter")
    expect(status(page, grid["count"])).to_have_text("enregistré")

    saved = value(grid["count"], grid["period"])
    assert (saved.value, saved.version) == (14, 2)
    assert saved.history.first().history_change_reason == "Deux formations oubliées"


def test_ten_times_the_previous_value_asks_for_confirmation_in_the_grid(
    page, live_server, log_in, grid
):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")
    count_input = row(page, grid["count"]).locator("input[name$='-value']")
    count_input.fill("100")
    count_input.press("Enter")

    expect(row(page, grid["count"])).to_contain_text("plus de 3 fois")
    expect(status(page, grid["count"])).to_have_text("non enregistré : confirmez la valeur")
    assert not Measurement.objects.filter(indicator=grid["count"], period=grid["period"]).exists()
    row(page, grid["count"]).get_by_label("Je confirme cette valeur").check()
    row(page, grid["count"]).get_by_label("Je confirme cette valeur").press("Enter")
    expect(status(page, grid["count"])).to_have_text("enregistré")

    saved = value(grid["count"], grid["period"])
    assert saved.value == 100
    assert saved.history.get().plausibility_confirmation.startswith("Valeur confirmée")


def todo_state(page, indicator):
    return page.locator("tbody tr", has_text=indicator.wording).locator("td").nth(3)


def test_the_values_to_record_are_up_to_date_right_after_the_grid(page, live_server, log_in, grid):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.get_by_role("link", name="Saisir 2022-2023 dans une grille").click()
    # Typed, and the page left at once by its link: the row is saved before « À saisir ».
    row(page, grid["count"]).locator("input[name$='-value']").fill("12")
    page.get_by_role("link", name="Retour aux valeurs à saisir").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valeurs à saisir")
    expect(todo_state(page, grid["count"])).to_have_text("saisi")

    # Back to the grid, a value, then the browser's back button: « À saisir » is read again.
    page.get_by_role("link", name="Saisir 2022-2023 dans une grille").click()
    level = row(page, grid["level"]).locator("select")
    level.focus()
    level.select_option("3")
    page.get_by_role("heading", level=1).click()  # leaves the row
    expect(status(page, grid["level"])).to_have_text("enregistré")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valeurs à saisir")
    expect(todo_state(page, grid["level"])).to_have_text("saisi")


def test_save_all_rows_posts_the_changed_rows_in_one_request(page, live_server, log_in, grid):
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else 0)
    # Typed without leaving the rows (the script's own saves are not triggered).
    page.evaluate(
        """(typed) => {
            for (const [code, text] of typed) {
                const cell = document.querySelector(`#row-${code} [data-cell="0"]`);
                cell.value = text;
                cell.dispatchEvent(new Event("input", {bubbles: true}));
            }
        }""",
        [[grid["count"].pk, "12"], [grid["level"].pk, "3"]],
    )
    page.get_by_role("button", name="Enregistrer toutes les lignes").click()

    expect(status(page, grid["count"])).to_contain_text("saisi")
    expect(status(page, grid["level"])).to_contain_text("saisi")
    assert posts == [f"{live_server.url}{grid['url']}"]
    assert value(grid["count"], grid["period"]).value == 12
    assert value(grid["level"], grid["period"]).value == 3


def test_without_javascript_the_grid_is_a_plain_form(browser, live_server, log_in, grid):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    period = grid["period"]
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{grid['url']}")

    row(page, grid["count"]).locator("input[name$='-value']").fill("12")
    row(page, grid["tools"]).locator("summary").click()
    row(page, grid["tools"]).get_by_label("Guide ou trousse").fill("3")
    row(page, grid["level"]).locator("select").select_option("3")
    row(page, grid["story"]).locator("textarea").first.fill("Les partenaires citent nos guides.")
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

    # A correction with its reason (shown without the script).
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


def serious(results):
    return [
        f"{violation['id']} ({violation['impact']})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_grid_fits_three_screens_and_a_phone_and_axe_finds_no_serious_violation(
    page, live_server, log_in, plan_2018_2023, staff_user, artifacts_dir
):
    period = codes.period("2022-2023")
    factories.measurement(codes.indicator("1.3"), period, staff_user, 2)
    url = f"{live_server.url}{reverse('indicators:measurement_grid', args=[period.pk])}"
    log_in(page, "marie", "mot-de-passe-personnel")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(url)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=artifacts_dir / "grid-1366.png", full_page=True)
    problems = serious(AXE.run(page))
    assert height <= 2700, f"{height} px"

    page.set_viewport_size(PHONE)
    for path in (url, f"{live_server.url}{reverse('indicators:measurement_todo')}"):
        page.goto(path)
        width = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if width > 0:
            problems.append(f"{path}: wider than 390 px by {width} px")
    expect(page.get_by_role("columnheader", name="État")).to_be_in_viewport()
    page.goto(url)
    page.screenshot(path=artifacts_dir / "grid-390.png", full_page=True)
    problems += serious(AXE.run(page))
    assert page.locator("input[inputmode=decimal]").count() > 19
    assert problems == []


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


def test_phone_cards_say_each_thing_once_in_french_and_english(
    page, live_server, log_in, plan_2018_2023, staff_user, artifacts_dir
):
    """At 390 px each indicator is one compact card: previous · target on one line, the value
    beside « not measured ». The 2018-2023 plan was 8 380 px tall when each card repeated its
    columns' names; no sideways scroll in either language."""
    period = codes.period("2022-2023")
    level = codes.indicator("1.3")
    url = f"{live_server.url}{reverse('indicators:measurement_grid', args=[period.pk])}"
    log_in(page, "marie", "mot-de-passe-personnel")
    for language in ("fr", "en"):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.set_viewport_size(PHONE)
        page.goto(url)
        facts = row(page, level).locator(".entry-fact")
        assert facts.nth(0).bounding_box()["y"] == facts.nth(1).bounding_box()["y"]
        value = row(page, level).locator(".entry-value").bounding_box()
        not_measured = row(page, level).locator(".entry-nm").bounding_box()
        assert not_measured["x"] > value["x"] + value["width"] - 1
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.screenshot(path=artifacts_dir / f"grid-390-{language}.png", full_page=True)
        assert (height <= 5500, width) == (True, 0), f"{language}: {height} px tall"

        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(url)
        assert facts.nth(1).bounding_box()["y"] > facts.nth(0).bounding_box()["y"]
        page.screenshot(path=artifacts_dir / f"grid-1366-{language}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollHeight") <= 2700
