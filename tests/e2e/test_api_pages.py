"""The API's pages in a real browser: a token created from the account menu and shown once,
the French documentation, and drf-spectacular's Swagger UI running under the strict CSP (its
files from the sidecar package, no inline script or style); axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from plan.roles import BOARD_GROUP
from tests import factories
from tests.e2e.test_board_reading import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _csp_violations(page):
    """Record every Content-Security-Policy violation the page reports."""
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_a_board_member_creates_a_token_and_reads_the_api_with_it(
    page, live_server, log_in, plan_2018_2023, artifacts_dir, viewport
):
    factories.member("andree", BOARD_GROUP, password="mot-de-passe-conseil", first_name="Andrée")
    page.set_viewport_size(viewport)
    log_in(page, "andree", "mot-de-passe-conseil")
    if viewport == PHONE:
        page.get_by_role("button", name="Afficher le menu").click()
    page.locator("summary.dropdown-toggle").click()
    page.get_by_role("link", name="Mes jetons d’API").click()
    expect(page.get_by_role("heading", name="Mes jetons d’API")).to_be_visible()
    page.get_by_label("Nom du jeton").fill("Excel – suivi du CA")
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.get_by_label("Votre nouveau jeton").input_value()
    assert secret.startswith("tiess_")
    page.screenshot(path=artifacts_dir / f"api-token-{viewport['width']}.png", full_page=True)
    assert serious_violations(page) == []
    answer = page.request.get(
        f"{live_server.url}/api/plans/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200
    assert answer.json()["results"][0]["years"] == "2018-2023"
    page.goto(f"{live_server.url}/compte/jetons/")
    assert secret not in page.content()
    page.get_by_role("button", name="Révoquer le jeton Excel – suivi du CA").click()
    expect(page.get_by_text("révoqué le")).to_be_visible()
    again = page.request.get(
        f"{live_server.url}/api/plans/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert again.status == 401


def test_the_documentation_and_swagger_ui_work_under_the_strict_csp(
    page, live_server, plan_2018_2023, artifacts_dir
):
    _csp_violations(page)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/api/")
    expect(page.get_by_role("heading", name="L’API du plan")).to_be_visible()
    page.screenshot(path=artifacts_dir / "api-documentation.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name="La documentation interactive (Swagger UI, en anglais)").click()
    values = page.locator(".opblock-summary-path[data-path='/api/valeurs/']")
    expect(values).to_be_visible(timeout=20_000)
    page.screenshot(path=artifacts_dir / "api-swagger.png", full_page=False)
    assert page.evaluate("window.cspViolations") == []
