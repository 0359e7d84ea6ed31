"""Hostile files posted to the import and to the evidence upload: never a 5xx.

The corpus (tests/security/hostile_files.py) is built by the tests: zip bombs, an XLSX that
declares A1:XFD1048576, an ODT whose `mimetype` inflates to 2 GiB, CSV files with NUL bytes,
undecodable bytes, a huge field or 218 000 rows, cells of the wrong type, huge numbers.
Each is refused with a French message on a 200 page and nothing is written.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import (
    Evidence,
    Measurement,
    MeasurementStatus,
)
from indicators.rules import uploads
from indicators.spreadsheets.values_export import COLUMNS
from tests.security import hostile_files as hostile

IMPORT_URL = "/saisie/import/"
ARCHIVE_REFUSED = "est un fichier compressé dont le contenu, une fois décompressé"
TOO_LARGE_TABLE = r"plus de 5\s000 lignes ou plus de 50 colonnes"
UNREADABLE = "Ce fichier XLSX ne peut pas être lu."
BAD_CELL = "La ligne 2 de ce fichier XLSX ne peut pas être lue"
TOO_COMPLEX = "trop complexe pour être lu sans risque"
SAVE_AS_UTF8 = re.escape("« CSV UTF-8 (délimité par des virgules) (*.csv) »")
NUL_BYTES = r"caractères nuls \(NUL\).*" + SAVE_AS_UTF8

# name of the test case: (file name, builder, French message expected on the page)
IMPORT_CORPUS = {
    "xlsx-shared-strings-inflating-to-1GiB": (
        "valeurs.xlsx",
        hostile.xlsx_shared_strings_bomb,
        ARCHIVE_REFUSED,
    ),
    "xlsx-shared-strings-1GiB-declared-1KiB": (
        "valeurs.xlsx",
        hostile.xlsx_shared_strings_bomb_lying,
        UNREADABLE,
    ),
    "xlsx-declaring-A1:XFD1048576": (
        "valeurs.xlsx",
        hostile.xlsx_declaring_whole_sheet,
        TOO_LARGE_TABLE,
    ),
    "xlsx-row-1048576-without-dimension": (
        "valeurs.xlsx",
        hostile.xlsx_without_dimension_far_row,
        TOO_LARGE_TABLE,
    ),
    "xlsx-one-row-of-200000-cells": ("valeurs.xlsx", hostile.xlsx_wide_row, TOO_LARGE_TABLE),
    "xlsx-150000-styles": ("valeurs.xlsx", hostile.xlsx_styles_bomb, TOO_COMPLEX),
    "xlsx-billion-laughs": ("valeurs.xlsx", hostile.xlsx_billion_laughs, UNREADABLE),
    "xlsx-numeric-cell-holding-text": (
        "valeurs.xlsx",
        lambda: hostile.xlsx_with_cell('<c r="D2"><v>douze</v></c>'),
        BAD_CELL,
    ),
    "xlsx-bad-date-cell": (
        "valeurs.xlsx",
        lambda: hostile.xlsx_with_cell('<c r="D2" t="d"><v>31 février</v></c>'),
        BAD_CELL,
    ),
    "xlsx-bad-shared-string-index": (
        "valeurs.xlsx",
        lambda: hostile.xlsx_with_cell('<c r="D2" t="s"><v>999999</v></c>'),
        BAD_CELL,
    ),
    "xlsx-number-of-5000-digits": (
        "valeurs.xlsx",
        lambda: hostile.xlsx_with_cell('<c r="D2"><v>' + "9" * 5000 + "</v></c>"),
        BAD_CELL,
    ),
    "xlsx-number-1e999999999": (
        "valeurs.xlsx",
        lambda: hostile.xlsx_with_cell('<c r="D2"><v>1e999999999</v></c>'),
        "« inf » n’est pas un nombre",
    ),
    "xlsx-not-a-zip": ("valeurs.xlsx", hostile.broken_zip, UNREADABLE),
    "csv-nul-bytes": (
        "valeurs.csv",
        lambda: hostile.csv_rows(2).replace(b"recorded", b"rec\x00orded"),
        NUL_BYTES,
    ),
    "csv-utf16": (
        "valeurs.csv",
        lambda: hostile.CSV_HEADER.encode("utf-16"),
        NUL_BYTES,
    ),
    "csv-undecodable-bytes": (
        "valeurs.csv",
        lambda: hostile.csv_rows(1).replace(b"recorded", b"\x81\x8d\x8f\x90\x9d"),
        "encodage inconnu.*" + SAVE_AS_UTF8,
    ),
    "csv-field-over-the-csv-module-limit": (
        "valeurs.csv",
        lambda: hostile.csv_rows(1, "1.1;2018-2019;recorded;1;" + "x" * 200_000 + "\r\n"),
        r"une cellule de plus de 32\s767 caractères",
    ),
    "csv-218000-rows": (
        "valeurs.csv",
        lambda: hostile.csv_rows(218_000, "1.1;2018-2019\r\n"),
        r"plus de 5\s000 lignes",
    ),
    "csv-1000000-columns": (
        "valeurs.csv",
        lambda: hostile.csv_rows(1, "x;" * 1_000_000 + "\r\n"),
        r"plus de 50 colonnes",
    ),
    "zip-of-60000-members": ("valeurs.xlsx", hostile.many_members, "trop volumineux"),
}


def code_of(indicator):
    return f"{indicator.result.number}.{indicator.order}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", IMPORT_CORPUS)
def test_hostile_import_file_is_refused_in_french_with_a_200(staff_client, plan_2018_2023, case):
    name, build, message = IMPORT_CORPUS[case]
    response = staff_client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, build())})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(message, page), case
    assert 'name="token"' not in page  # nothing to confirm
    assert not Measurement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("number", hostile.HUGE_NUMBERS)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_huge_numbers_in_an_import_are_refused_row_by_row(
    staff_client, count_indicator, period, number, extension
):
    row = [code_of(count_indicator), period.name, "recorded", number, "x"]
    if extension == "csv":
        content = (hostile.CSV_HEADER + ";".join(row) + "\r\n").encode()
    else:
        content = hostile.workbook_bytes([row])  # typed as text in the cell
    response = staff_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(f"valeurs.{extension}", content)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"(n’est pas un nombre|Ce nombre est trop grand|au plus deux décimales)", page)
    assert 'name="token"' not in page
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_a_french_excel_csv_in_windows_1252_imports_its_accents(
    staff_client, count_indicator, period
):
    """Excel in French saves “CSV (séparateur : point-virgule)” in Windows-1252: ’ é « »."""
    labels = dict(COLUMNS)
    header = ";".join(str(labels[key]) for key in ("code", "period", "status", "value", "comment"))
    assert "’" in header  # “Code de l’indicateur”: 0x92 in Windows-1252
    text = (
        f"{header}\r\n"
        f"{code_of(count_indicator)};{period.name};{MeasurementStatus.RECORDED.label};12;"
        "Économie été « coop »\r\n"
    )
    preview = staff_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("valeurs.csv", text.encode("cp1252"))}
    )
    assert preview.status_code == 200
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview.content.decode()).group(1)
    confirmed = staff_client.post(IMPORT_URL, {"confirm": "1", "token": token})
    assert confirmed.status_code == 302
    stored = Measurement.objects.get(indicator=count_indicator, period=period)
    assert stored.value == 12
    assert stored.comment == "Économie été « coop »"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_read_the_same_table(encoding):
    text = "code;commentaire\r\n1.1;Économie sociale – été\r\n"
    table = uploads.csv_table(text.encode(encoding))
    assert table == [["code", "commentaire"], ["1.1", text.split(";")[-1].strip()]]


def test_the_largest_accepted_xlsx_is_read_whole():
    table = uploads.xlsx_table(SimpleUploadedFile("plein.xlsx", hostile.xlsx_full_at_the_caps()))
    assert len(table) == uploads.MAX_ROWS
    assert table[-1][:4] == ["1.1", "2018-2019", "recorded", "4998"]


def test_a_zip_member_is_never_read_beyond_its_cap():
    upload = SimpleUploadedFile("preuve.odt", hostile.odt_bytes())
    with uploads.open_zip(upload, limits=uploads.EVIDENCE_LIMITS) as archive:
        assert uploads.read_member(archive, "mimetype", limit=255) == hostile.ODT_MIMETYPE
        with pytest.raises(uploads.ArchiveUnreadable):
            uploads.read_member(archive, "content.xml", limit=10)
    lying = SimpleUploadedFile("preuve.odt", hostile.odt_mimetype_bomb_lying(64 * hostile.MIB))
    with (
        uploads.open_zip(lying, limits=uploads.EVIDENCE_LIMITS) as archive,
        pytest.raises(uploads.ArchiveUnreadable),  # 39 bytes read, then a bad CRC
    ):
        uploads.read_member(archive, "mimetype", limit=255)


HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_a_table_or_a_french_refusal_as_csv(data):
    table, refusal = [], None
    try:
        table = uploads.csv_table(data)
    except ValidationError as error:
        refusal = error.code
    assert refusal in {None, "nul", "encoding", "csv_error", "too_many_columns"}
    assert all(isinstance(cell, str) and "\x00" not in cell for row in table for cell in row)


@HYPOTHESIS
@given(
    cell=st.one_of(
        st.text(alphabet="0123456789eE+-.,", max_size=30),
        st.sampled_from(["douze", "", "1e999999999", "-1", "NaN"]),
    ),
    kind=st.sampled_from(["n", "d", "s", "b", "str", "e"]),
)
def test_any_typed_cell_gives_a_table_or_a_french_refusal_as_xlsx(cell, kind):
    upload = SimpleUploadedFile(
        "valeurs.xlsx", hostile.xlsx_with_cell(f'<c r="D2" t="{kind}"><v>{cell}</v></c>')
    )
    table, refusal = [], None
    try:
        table = uploads.xlsx_table(upload)
    except ValidationError as error:
        refusal = error.code
    assert refusal in {None, "bad_cell"}
    assert all(isinstance(text, str) for row in table for text in row)


# --- Evidence files ---------------------------------------------------------------------------

EVIDENCE_CORPUS = {
    "odt-mimetype-inflating-to-2GiB": ("rapport.odt", hostile.odt_mimetype_bomb),
    "xlsx-shared-strings-inflating-to-1GiB": ("tableau.xlsx", hostile.xlsx_shared_strings_bomb),
    "docx-of-60000-members": ("lettre.docx", hostile.many_members),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_evidence(client, indicator, period, upload):
    return client.post(
        f"/indicateurs/{indicator.pk}/?periode={period.pk}",
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            "value": "3",
            "comment": "Ce que j’ai tapé",
            "evidence_files": [upload],
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("case", EVIDENCE_CORPUS)
def test_evidence_bomb_is_refused_in_french_with_a_200(
    staff_client, count_indicator, period, media, case
):
    name, build = EVIDENCE_CORPUS[case]
    response = post_evidence(
        staff_client, count_indicator, period, SimpleUploadedFile(name, build())
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert ARCHIVE_REFUSED in page
    assert "Ce que j’ai tapé" in page  # what was typed is kept
    assert not Evidence.objects.exists()
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_an_odt_lying_about_its_mimetype_size_is_never_inflated(
    staff_client, count_indicator, period, media
):
    """Declared 39 bytes, inflating to 2 GiB: zipfile stops at 39 bytes, whose CRC fails."""
    content = hostile.odt_mimetype_bomb_lying()
    response = post_evidence(
        staff_client, count_indicator, period, SimpleUploadedFile("rapport.odt", content)
    )
    assert response.status_code == 200
    assert "Le contenu de « rapport.odt » ne correspond pas à son type (ODT)." in (
        response.content.decode()
    )
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_evidence_files_and_folders_are_not_readable_by_others(
    staff_client, count_indicator, period, media
):
    upload = SimpleUploadedFile("rapport.odt", hostile.odt_bytes())
    response = post_evidence(staff_client, count_indicator, period, upload)
    assert response.status_code == 302
    stored = media / Evidence.objects.get().file.name
    assert stored.stat().st_mode & 0o777 & ~0o640 == 0
    assert stored.parent.stat().st_mode & 0o777 & ~0o750 == 0
