"""Issue 23 in a real browser: staff record, a coordinator validates a whole period in one
click, and the board reads the marks « non validée » where they belong at each step."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from indicators.board import services as board_services
from indicators.models import Measurement, MeasurementValidation
from indicators.recording.services import measurement_record
from plan.roles import COORDINATION_GROUP
from tests import codes, factories
from tests.board.test_meetings import make_meeting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Axe()
MARK = "non validée"


def serious(page):
    return [
        f"{violation['id']} ({violation['impact']})"
        for violation in AXE.run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _as(page, log_in, username, password):
    page.context.clear_cookies()
    log_in(page, username, password)


def test_staff_record_a_coordinator_validates_in_bulk_the_board_sees_the_marks(
    page,
    live_server,
    log_in,
    plan_2018_2023,
    count_indicator,
    staff_user,
    board_user,
    artifacts_dir,
):
    plan_2018_2023.validation_enabled = True
    plan_2018_2023.save()
    factories.member(
        "sophie",
        COORDINATION_GROUP,
        password="mot-de-passe-coordination",
        first_name="Sophie",
        last_name="Lavoie",
    )
    period = codes.period("2022-2023")
    # Another value of the period, recorded earlier by Marie.
    measurement_record(
        indicator=codes.indicator("1.1"),
        period=period,
        user=staff_user,
        breakdown={codes.indicator("1.1").dimension.categories.first().pk: Decimal(3)},
        version=0,
        confirmed=True,
    )

    # Marie (Personnel) records a value on the indicator page: it awaits validation.
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{count_indicator.get_absolute_url()}")
    page.get_by_label("Nombre", exact=True).fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_contain_text("a été enregistrée")
    assert set(Measurement.objects.values_list("validation_state", flat=True)) == {
        MeasurementValidation.PENDING
    }
    # A pack frozen now keeps the values as they were: not validated.
    meeting = make_meeting(plan_2018_2023, period, title="Conseil d’automne")
    pack = board_services.meeting_present(meeting=meeting, user=staff_user)

    # André (board) reads the report and the result page: the values are marked.
    _as(page, log_in, "andre", "mot-de-passe-conseil")
    page.goto(f"{live_server.url}{reverse('board:board_report')}?periode={period.pk}")
    row = page.locator("tr.indicator-row", has_text=count_indicator.wording)
    expect(row).to_contain_text(MARK)
    expect(page.locator(".summary-unvalidated")).to_contain_text(
        "2 valeurs affichées ne sont pas encore validées."
    )
    result_url = reverse("board:result_detail", args=[count_indicator.result.pk])
    page.goto(f"{live_server.url}{result_url}")
    expect(page.get_by_text(MARK).first).to_be_visible()

    # Sophie (Coordination) opens « À valider », then the period: every value is ticked.
    _as(page, log_in, "sophie", "mot-de-passe-coordination")
    page.get_by_role("link", name="À valider").first.click()
    page.get_by_role("link", name="2022-2023").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valider les valeurs de 2022-2023")
    expect(page.locator("input[name=selection]:checked")).to_have_count(2)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=artifacts_dir / "validation-1366.png", full_page=True)
    assert serious(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts_dir / "validation-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    # One click validates them all.
    page.get_by_role("button", name="Valider la sélection").click()
    expect(page.get_by_role("alert").first).to_contain_text("2 valeurs ont été validées.")
    expect(
        page.get_by_text("Aucune valeur de cette période n’attend de validation.")
    ).to_be_visible()
    assert set(Measurement.objects.values_list("validation_state", flat=True)) == {
        MeasurementValidation.VALIDATED
    }

    # André reads again: no mark on the report; the pack frozen before still says so.
    _as(page, log_in, "andre", "mot-de-passe-conseil")
    page.goto(f"{live_server.url}{reverse('board:board_report')}?periode={period.pk}")
    expect(page.locator("tr.indicator-row", has_text=count_indicator.wording)).not_to_contain_text(
        MARK
    )
    expect(page.locator(".summary-unvalidated")).to_have_count(0)
    page.goto(f"{live_server.url}{pack.get_absolute_url()}")
    expect(page.locator(".pack-unvalidated")).to_contain_text(
        "Ce dossier a été figé avec 2 valeurs pas encore validées"
    )
    row = page.locator("tr.indicator-row", has_text=count_indicator.wording)
    expect(row).to_contain_text(MARK)
