"""A large export in Chromium: asked, followed while the worker writes it (the page's script
polls its state), then downloaded; the page passes axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from indicators.models import PreparedExport, PreparedExportStatus
from tests import codes, factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
AXE = Axe()


def test_a_person_follows_a_large_export_then_downloads_it(
    page, live_server, log_in, plan_2018_2023, staff_user, media_root, settings, task_queue
):
    settings.EXPORT_STREAM_MAX_ROWS = 0
    factories.measurement(codes.indicator("2.1"), codes.period("2018-2019"), staff_user, value=5)
    log_in(page, "marie", "mot-de-passe-personnel")

    page.goto(f"{live_server.url}/saisie/export.csv")
    page.get_by_role("button", name="Préparer le fichier").click()
    expect(page.get_by_text("0 ligne sur 1")).to_be_visible()
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    violations = AXE.run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []

    # The worker picks it up while the page is open: the page's script shows the outcome.
    export = PreparedExport.objects.get()
    PreparedExport.objects.filter(pk=export.pk).update(
        status=PreparedExportStatus.RUNNING, rows_done=1, heartbeat_at=timezone.now()
    )
    expect(page.get_by_text("1 ligne sur 1")).to_be_visible(timeout=10_000)
    PreparedExport.objects.filter(pk=export.pk).update(status=PreparedExportStatus.WAITING)
    task_queue()
    expect(page.get_by_text("Le fichier est prêt.")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("link", name="Actualiser")).to_be_hidden()

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier").click()
    assert download.value.suggested_filename.startswith("valeurs-indicateurs-")
