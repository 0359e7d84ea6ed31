"""A staff member records then corrects a count by category in a real browser; the board reads."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Measurement
from tests import codes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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
