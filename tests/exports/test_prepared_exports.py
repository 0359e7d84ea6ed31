"""Prepared exports: asked by a person, built by the task worker, downloaded by that person
only, expired after EXPORT_KEEP_HOURS; a worker that stops is reported, never waited on."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from indicators.exports import building
from indicators.exports.services import export_request
from indicators.models import PreparedExport, PreparedExportKind, PreparedExportStatus

CSV_URL = reverse("indicators:measurement_export_csv")
XLSX_URL = reverse("indicators:measurement_export_xlsx")


@pytest.fixture
def past_threshold(settings):
    """Every export is past the streaming threshold: it is prepared in the background."""
    settings.EXPORT_STREAM_MAX_ROWS = 1


def _content(response):
    content = b"".join(response.streaming_content)
    # Not response.close(): in a test it sends request_finished, which closes the database.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    return content


def test_a_small_export_still_streams_at_once(staff_client, recorded_data, settings):
    settings.EXPORT_STREAM_MAX_ROWS = 2
    response = staff_client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not PreparedExport.objects.exists()


def test_a_large_export_is_offered_then_prepared_then_downloaded(
    staff_client, staff_user, recorded_data, settings
):
    settings.EXPORT_STREAM_MAX_ROWS = 2
    streamed = _content(staff_client.get(CSV_URL))
    settings.EXPORT_STREAM_MAX_ROWS = 1

    offer = staff_client.get(CSV_URL)
    assert offer.status_code == 200
    assert "Préparer le fichier" in offer.content.decode()
    assert "2 lignes" in offer.content.decode()  # one per category of 1.1's breakdown
    assert not PreparedExport.objects.exists()

    asked = staff_client.post(CSV_URL)
    export = PreparedExport.objects.get()
    assert asked.status_code == 302
    assert asked["Location"] == export.get_absolute_url()
    assert export.owner == staff_user
    assert export.status == PreparedExportStatus.READY

    page = staff_client.get(export.get_absolute_url()).content.decode()
    assert "2 lignes sur 2" in page
    assert "Le fichier est prêt." in page
    download = staff_client.get(reverse("indicators:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="valeurs-indicateurs')
    assert _content(download) == streamed


def test_the_xlsx_export_is_prepared_too(staff_client, recorded_data, past_threshold):
    staff_client.post(XLSX_URL)
    export = PreparedExport.objects.get(kind=PreparedExportKind.VALUES_XLSX)
    assert export.status == PreparedExportStatus.READY
    assert export.file_name.endswith(".xlsx")
    with export.file.open("rb") as file:
        assert file.read(2) == b"PK"


def test_the_status_answers_the_progress_for_the_pages_script(
    staff_client, recorded_data, past_threshold
):
    staff_client.post(CSV_URL)
    export = PreparedExport.objects.get()
    state = staff_client.get(reverse("indicators:export_status", args=[export.pk])).json()
    assert state["status"] == "ready"
    assert state["finished"] is True
    assert state["progress"] == "2 lignes sur 2"
    assert state["download_url"] == reverse("indicators:export_download", args=[export.pk])


def test_an_export_is_readable_only_by_the_person_who_asked(
    client, staff_user, other_staff, recorded_data, past_threshold
):
    export = export_request(
        owner=staff_user, kind=PreparedExportKind.VALUES_CSV, params={"plan": 1}, rows_total=2
    )
    client.force_login(other_staff)
    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(reverse(f"indicators:{name}", args=[export.pk])).status_code == 404


def test_an_export_is_refused_to_its_owner_once_the_permission_is_gone(
    client, staff_user, recorded_data, plan_2018_2023
):
    export = export_request(
        owner=staff_user,
        kind=PreparedExportKind.VALUES_CSV,
        params={"plan": plan_2018_2023.pk},
    )
    staff_user.groups.clear()
    client.force_login(staff_user)
    response = client.get(reverse("indicators:export_download", args=[export.pk]))
    assert response.status_code == 404


def test_an_expired_export_is_deleted_with_its_file(staff_user, recorded_data, plan_2018_2023):
    export = export_request(
        owner=staff_user, kind=PreparedExportKind.VALUES_CSV, params={"plan": plan_2018_2023.pk}
    )
    name = export.file.name
    assert default_storage.exists(name)
    PreparedExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert building.exports_expire() == 1
    assert not PreparedExport.objects.exists()
    assert not default_storage.exists(name)


def test_an_export_not_yet_expired_is_kept(staff_user, recorded_data, plan_2018_2023, settings):
    export = export_request(
        owner=staff_user, kind=PreparedExportKind.VALUES_CSV, params={"plan": plan_2018_2023.pk}
    )
    assert export.expires_at - export.finished_at == datetime.timedelta(
        hours=settings.EXPORT_KEEP_HOURS
    )
    assert building.exports_expire() == 0
    assert default_storage.exists(export.file.name)


def test_a_worker_that_stopped_mid_export_is_reported_as_failed(staff_client, staff_user):
    export = PreparedExport.objects.create(
        owner=staff_user,
        kind=PreparedExportKind.VALUES_CSV,
        status=PreparedExportStatus.RUNNING,
        rows_done=12000,
        rows_total=57000,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    page = staff_client.get(export.get_absolute_url()).content.decode()
    assert "12\xa0000 lignes sur 57\xa0000" in page
    assert "Le processus de travail s’est arrêté" in page
    assert "export-progress.js" not in page  # nothing left to wait for

    building.exports_expire()
    export.refresh_from_db()
    assert export.status == PreparedExportStatus.FAILED


def test_a_live_worker_is_shown_in_progress(staff_client, staff_user):
    export = PreparedExport.objects.create(
        owner=staff_user,
        kind=PreparedExportKind.VALUES_XLSX,
        status=PreparedExportStatus.RUNNING,
        rows_done=12000,
        rows_total=57000,
        heartbeat_at=timezone.now(),
    )
    page = staff_client.get(export.get_absolute_url()).content.decode()
    assert "12\xa0000 lignes sur 57\xa0000" in page
    assert "Actualiser" in page
    assert "js/export_progress.js" in page


def test_a_request_the_worker_never_picked_up_says_so(staff_client, staff_user):
    export = PreparedExport.objects.create(owner=staff_user, kind=PreparedExportKind.VALUES_CSV)
    PreparedExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page = staff_client.get(export.get_absolute_url()).content.decode()
    assert "le processus de travail semble arrêté" in page


def test_a_build_that_fails_is_reported(staff_client, staff_user, plan_2018_2023):
    export = export_request(
        owner=staff_user, kind=PreparedExportKind.VALUES_CSV, params={"plan": 0}
    )
    assert export.status == PreparedExportStatus.FAILED
    assert "DoesNotExist" in export.error
    page = staff_client.get(export.get_absolute_url()).content.decode()
    assert "Le fichier n’a pas pu être préparé" in page


def test_my_exports_lists_only_mine(staff_client, staff_user, other_staff):
    PreparedExport.objects.create(owner=staff_user, kind=PreparedExportKind.VALUES_CSV)
    PreparedExport.objects.create(owner=other_staff, kind=PreparedExportKind.VALUES_XLSX)
    page = staff_client.get(reverse("indicators:export_list")).content.decode()
    assert "Valeurs (CSV)" in page
    assert "Valeurs (XLSX)" not in page


def test_an_unknown_kind_is_refused_by_the_database(staff_user):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        PreparedExport.objects.create(owner=staff_user, kind="nothing")


def test_an_unknown_kind_is_refused_by_full_clean(staff_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        PreparedExport(owner=staff_user, kind="nothing").full_clean()


def test_the_expire_command_deletes_expired_exports(staff_user, recorded_data, plan_2018_2023):
    from io import StringIO

    from django.core.management import call_command

    export = export_request(
        owner=staff_user, kind=PreparedExportKind.VALUES_CSV, params={"plan": plan_2018_2023.pk}
    )
    PreparedExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    out = StringIO()
    call_command("expire_exports", stdout=out)
    assert "1 expired export(s) deleted." in out.getvalue()
    assert not PreparedExport.objects.exists()


def _xlsx_sheets(export):
    from openpyxl import load_workbook

    with export.file.open("rb") as file:
        return load_workbook(file, read_only=True).sheetnames


def test_the_board_report_is_prepared_past_the_threshold(
    board_client, board_user, plan_2018_2023, media_root, past_threshold
):
    url = reverse("board:board_report_xlsx")
    assert "Préparer le fichier" in board_client.get(url).content.decode()
    response = board_client.post(url)
    export = PreparedExport.objects.get(owner=board_user)
    assert response["Location"] == export.get_absolute_url()
    assert export.status == PreparedExportStatus.READY
    assert export.rows_done == export.rows_total > 0
    assert export.file_name.startswith("rapport-")
    assert _xlsx_sheets(export)[:2] == ["Indicateurs", "Stratégies"]
    download = board_client.get(reverse("indicators:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert _content(download).startswith(b"PK")


def test_the_plan_workbook_is_prepared_past_the_threshold(
    admin_client, admin_user, plan_2018_2023, media_root, past_threshold
):
    url = reverse("admin:plan_strategicplan_structure_export", args=[plan_2018_2023.pk])
    assert "Préparer le fichier" in admin_client.get(url).content.decode()
    admin_client.post(url)
    export = PreparedExport.objects.get(owner=admin_user)
    assert export.status == PreparedExportStatus.READY
    assert export.file_name == "structure-plan-2018-2023.xlsx"
    assert "Indicateurs" in _xlsx_sheets(export)
