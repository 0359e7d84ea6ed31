"""The edges of exports: Excel's cell limit (a text is written whole or refused, never cut),
the throttle of progress writes, and the choice between writing at once and the worker at
EXPORT_STREAM_MAX_ROWS. Real files are written and read back; the database is real."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from indicators.board.reports import report_row_count
from indicators.exports import building
from indicators.lifecycle.workbook import workbook_row_count
from indicators.models import Measurement, PreparedExport, PreparedExportKind, PreparedExportStatus
from indicators.rules import text_limits
from indicators.spreadsheets import values_export, values_import
from indicators.spreadsheets.cells import cell_in, xlsx_in
from indicators.spreadsheets.writer import XLSX_TEXT_MAX, Column, Sheet, xlsx_write
from tests import codes

XLSX_URL = reverse("indicators:measurement_export_xlsx")


def _written(text):
    """`text` in column B of a real XLSX file, read back by openpyxl as the import reads it."""
    target = io.BytesIO()
    columns = [Column("code", "Code"), Column("text", "Texte", 40)]
    xlsx_write([Sheet("Valeurs", columns, [{"code": "1.1", "text": text}])], target)
    target.seek(0)
    sheet = load_workbook(target, read_only=True).active
    return cell_in(xlsx_in(next(sheet.iter_rows(min_row=2, values_only=True))[1]))


def test_a_text_of_exactly_excels_limit_is_written_whole():
    text = "é" * (XLSX_TEXT_MAX - 1) + "z"
    assert len(text) == 32_767
    assert _written(text) == text


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("a" * 32_768, "32\xa0768"),
        # The apostrophe that protects a formula-like text counts: 32 767 + 1.
        ("=" + "a" * 32_766, "32\xa0768"),
        # Excel counts UTF-16 units: an emoji is two.
        ("🙂" * 16_384, "32\xa0768"),
    ],
    ids=["32768-characters", "protected-formula", "emoji"],
)
def test_a_longer_text_is_refused_naming_its_cell_not_cut(text, length):
    with pytest.raises(ValidationError) as refused:
        _written(text)
    assert refused.value.code == "xlsx_text_too_long"
    message = refused.value.messages[0]
    assert "cellule B2 (feuille «\xa0Valeurs\xa0», colonne «\xa0Texte\xa0»)" in message
    assert f"compte {length} caractères" in message
    assert "au plus 32\xa0767 par cellule" in message


def test_every_text_a_person_types_fits_a_cell_whole_even_in_emoji():
    """Stories, explanations, comments and notes are limited at entry (forms, import,
    database) far below Excel's cell: each fits twice over (UTF-16 units) with its
    protection, so the values export never refuses or cuts one."""
    limits = [
        text_limits.NARRATIVE_MAX_CHARS,
        text_limits.EXPLANATION_MAX_CHARS,
        text_limits.COMMENT_MAX_CHARS,
        text_limits.NOTE_MAX_CHARS,
        text_limits.REASON_MAX_CHARS,
    ]
    assert 2 * max(limits) + 1 <= XLSX_TEXT_MAX


def test_a_story_of_the_longest_length_comes_back_whole_through_the_xlsx(
    staff_client, recorded_data, settings
):
    story = "=" + "Une histoire 🙂 " * ((text_limits.NARRATIVE_MAX_CHARS - 1) // 15)
    story = story[: text_limits.NARRATIVE_MAX_CHARS]
    Measurement.objects.filter(pk=recorded_data.pk).update(narrative=story)
    recorded_data.refresh_from_db()
    recorded_data.full_clean()  # the longest story the form and the import accept
    settings.EXPORT_STREAM_MAX_ROWS = 10
    response = staff_client.get(XLSX_URL)
    assert response.status_code == 200
    uploaded = io.BytesIO(response.content)
    uploaded.name = "valeurs.xlsx"
    rows = values_import.read_rows(uploaded)
    assert {row["narrative"] for row in rows} == {story}


def _too_long_wording():
    indicator = codes.indicator("1.1")
    indicator.wording = "w" * (XLSX_TEXT_MAX + 1)
    indicator.save()
    return indicator


def test_an_export_written_at_once_with_a_too_long_text_says_why(
    staff_client, recorded_data, settings
):
    _too_long_wording()
    settings.EXPORT_STREAM_MAX_ROWS = 10
    response = staff_client.get(XLSX_URL, follow=True)
    assert response.redirect_chain == [(reverse("indicators:measurement_todo"), 302)]
    page = response.content.decode()
    assert "Le texte de la cellule B2 (feuille «\xa0Valeurs\xa0»" in page
    assert "32\xa0768 caractères" in page


def test_a_prepared_export_with_a_too_long_text_fails_saying_why_and_keeps_no_file(
    staff_client, recorded_data, settings
):
    _too_long_wording()
    settings.EXPORT_STREAM_MAX_ROWS = 1
    staff_client.post(XLSX_URL)
    export = PreparedExport.objects.get()
    assert export.status == PreparedExportStatus.FAILED
    assert not export.file
    page = staff_client.get(export.get_absolute_url()).content.decode()
    assert "Le texte de la cellule B2 (feuille «\xa0Valeurs\xa0»" in page
    assert "Raccourcissez ce texte" in page
    download = staff_client.get(reverse("indicators:export_download", args=[export.pk]))
    assert download.status_code == 404


def test_the_csv_keeps_a_text_longer_than_an_excel_cell(staff_client, recorded_data, settings):
    indicator = _too_long_wording()
    settings.EXPORT_STREAM_MAX_ROWS = 10
    response = staff_client.get(reverse("indicators:measurement_export_csv"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert indicator.wording in content


# --- Progress: written now and then, not once per row --------------------------------------


@pytest.fixture
def running_export(staff_user):
    return PreparedExport.objects.create(
        owner=staff_user,
        kind=PreparedExportKind.VALUES_CSV,
        status=PreparedExportStatus.RUNNING,
        rows_total=5000,
    )


class Clock:
    """time.monotonic of the building module, moved by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(building.time, "monotonic", clock)
    return clock


def test_progress_is_written_once_for_many_rows_within_a_second(
    running_export, clock, django_assert_num_queries
):
    progress = building.Progress(running_export.pk)
    with django_assert_num_queries(1):
        for done in range(1, 5001):
            progress(done, 5000)
    running_export.refresh_from_db()
    assert running_export.rows_done == 1  # the first report; the next ones waited


def test_progress_is_written_again_once_a_second_has_passed(
    running_export, clock, django_assert_num_queries
):
    progress = building.Progress(running_export.pk)
    progress(1, 5000)
    clock.now += building.PROGRESS_EVERY - 0.001
    with django_assert_num_queries(0):
        progress(2, 5000)
    clock.now += 0.001
    with django_assert_num_queries(1):
        progress(3, 5000)
    running_export.refresh_from_db()
    assert running_export.rows_done == 3
    assert running_export.heartbeat_at is not None


def test_counted_rows_write_the_first_and_the_last_count_only(
    running_export, clock, django_assert_num_queries
):
    rows = ({"n": n} for n in range(5000))
    with django_assert_num_queries(2):
        assert sum(1 for _ in building.counted(rows, building.Progress(running_export.pk), 5000))
    running_export.refresh_from_db()
    assert running_export.rows_done == 5000


# --- At once up to EXPORT_STREAM_MAX_ROWS rows, by the worker past it ----------------------


def _values_rows(plan):
    return values_export.row_count(Measurement.objects.of_plan(plan))


EXPORTS = {
    "values_csv": ("staff", lambda plan: XLSX_URL.replace(".xlsx", ".csv"), _values_rows),
    "values_xlsx": ("staff", lambda plan: XLSX_URL, _values_rows),
    "board_report": ("board", lambda plan: reverse("board:board_report_xlsx"), report_row_count),
    "plan_workbook": (
        "admin",
        lambda plan: reverse("admin:plan_strategicplan_structure_export", args=[plan.pk]),
        workbook_row_count,
    ),
}


@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_of_exactly_the_threshold_is_written_at_once_one_more_row_is_offered(
    kind, client, staff_user, board_user, admin_user, recorded_data, plan_2018_2023, settings
):
    who, url_of, rows_of = EXPORTS[kind]
    client.force_login({"staff": staff_user, "board": board_user, "admin": admin_user}[who])
    url, rows = url_of(plan_2018_2023), rows_of(plan_2018_2023)
    assert rows > 1

    settings.EXPORT_STREAM_MAX_ROWS = rows
    at_once = client.get(url)
    assert at_once.status_code == 200
    assert at_once["Content-Disposition"].startswith("attachment;")

    settings.EXPORT_STREAM_MAX_ROWS = rows - 1
    offer = client.get(url)
    assert offer.status_code == 200
    assert "Content-Disposition" not in offer
    assert "Préparer le fichier" in offer.content.decode()
    assert not PreparedExport.objects.exists()
