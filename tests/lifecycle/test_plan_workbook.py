"""A plan's structure as an XLSX workbook: template, export, all-or-nothing import."""

import io
import zipfile
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.lifecycle import workbook as plan_workbook
from indicators.lifecycle.workbook import read_workbook
from indicators.lifecycle.workbook_import import plan_import
from indicators.models import Dimension, Indicator
from indicators.rules import uploads
from plan.models import StrategicPlan, Strategy
from tests.plan_structure import plan_structure

IMPORT_URL = reverse("admin:plan_strategicplan_structure_import")
NEW = {"title": "Plan stratégique 2023-2028", "start_year": 2023, "end_year": 2028}


def upload(content, name="structure.xlsx"):
    return SimpleUploadedFile(name, content, content_type=plan_workbook.XLSX_CONTENT_TYPE)


def edited(content, sheet, cell, value):
    workbook = load_workbook(io.BytesIO(content))
    workbook[sheet][cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(client, plan):
    response = client.get(reverse("admin:plan_strategicplan_structure_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="structure-plan-2018-2023.xlsx"'
    return response.content


def test_the_template_has_one_sheet_per_part_with_french_headers(admin_client, plan_2018_2023):
    page = admin_client.get(reverse("admin:plan_strategicplan_changelist")).content.decode()
    url = reverse("admin:plan_strategicplan_structure_template")
    assert url in page

    workbook = load_workbook(io.BytesIO(admin_client.get(url).content))

    assert workbook.sheetnames[:-1] == [
        "Plan",
        "Valeurs organisationnelles",
        "Orientations",
        "Résultats",
        "Sous-éléments des résultats",
        "Dimensions de ventilation",
        "Indicateurs",
        "Niveaux d’échelle",
        "Stratégies",
        "Sous-éléments des stratégies",
    ]
    headers = [cell.value for cell in workbook["Indicateurs"][1]]
    for header in [
        "Numéro du résultat",
        "Type de mesure",
        "Unité",
        "Sens",
        "Valeur de départ",
        "Fréquence de collecte",
        "Personne responsable (nom d’utilisateur)",
        "Source des données",
    ]:
        assert header in headers
    assert [c.value for c in workbook["Stratégies"][1]][-1] == "Résultats servis (numéros)"
    assert workbook["Indicateurs"].max_row == 1  # no rows: a template
    # Choice columns offer their French labels in a drop-down list (from a hidden sheet).
    lists = workbook["Listes"]
    assert lists.sheet_state == "hidden"
    kind = next(
        v for v in workbook["Indicateurs"].data_validations.dataValidation if "E2" in v.sqref
    )
    first, last = kind.formula1.split("!")[1].replace("$", "").split(":")
    assert [c.value for row in lists[first:last] for c in row] == [
        "nombre",
        "nombre par catégorie",
        "niveau sur une échelle",
        "pourcentage",
        "montant en dollars",
        "qualitatif (récit seulement)",
    ]


def test_export_then_import_round_trips_the_2018_2023_plan(admin_client, plan_2018_2023):
    content = export(admin_client, plan_2018_2023)

    preview = admin_client.post(IMPORT_URL, {**NEW, "file": upload(content)})
    assert preview.status_code == 200
    assert preview.context["preview"].is_valid
    assert "Toutes les cellules sont valides." in preview.content.decode()
    assert not StrategicPlan.objects.filter(title=NEW["title"]).exists()  # a preview writes nothing

    done = admin_client.post(
        IMPORT_URL, {"confirm": "1", "token": preview.context["preview"].token}
    )
    imported = StrategicPlan.objects.get(title=NEW["title"])
    assert done.url == reverse("admin:plan_strategicplan_change", args=[imported.pk])
    assert (imported.start_year, imported.end_year) == (2023, 2028)
    assert not imported.is_current
    assert plan_structure(imported) == plan_structure(plan_2018_2023)
    assert imported.periods.count() == 5
    assert Indicator.objects.of_plan(imported).count() == 19


def test_a_template_with_one_bad_cell_is_refused_showing_that_cell(admin_client, plan_2018_2023):
    content = edited(export(admin_client, plan_2018_2023), "Indicateurs", "E3", "nombreux")

    response = admin_client.post(IMPORT_URL, {**NEW, "file": upload(content)})

    preview = response.context["preview"]
    assert [(e.sheet, e.row, e.column, e.cell) for e in preview.errors] == [
        ("Indicateurs", 3, "Type de mesure", "E3")
    ]
    page = response.content.decode()
    assert "1 erreur : rien ne sera enregistré." in page
    assert "« nombreux » n’est pas l’un des choix suivants" in page
    assert "<td>E3</td>" in page
    assert "confirm" not in page
    assert StrategicPlan.objects.count() == 1
    assert Indicator.objects.count() == 19


def test_every_error_is_listed_by_sheet_row_and_column(plan_2018_2023):
    content = plan_workbook.plan_workbook(plan_2018_2023)
    content = edited(content, "Résultats", "B2", "9")  # no orientation 9
    content = edited(content, "Indicateurs", "B4", "deux")  # order not a number
    content = edited(content, "Indicateurs", "L5", "personne")  # no such user
    content = edited(content, "Stratégies", "D2", "1, 42")  # no result 42

    result = plan_import(rows=read_workbook(upload(content)), dry_run=False, **NEW)

    assert {(e.sheet, e.cell) for e in result.errors} >= {
        ("Résultats", "B2"),
        ("Indicateurs", "B4"),
        ("Indicateurs", "L5"),
        ("Stratégies", "D2"),
    }
    assert (
        "Indicateurs, ligne 4, colonne « Ordre » (B4) : « deux » n’est pas un nombre entier."
        in [str(e) for e in result.errors]
    )
    assert not StrategicPlan.objects.filter(title=NEW["title"]).exists()


def test_a_missing_sheet_or_column_is_named(plan_2018_2023):
    workbook = load_workbook(io.BytesIO(plan_workbook.plan_workbook(plan_2018_2023)))
    del workbook["Stratégies"]
    workbook["Orientations"]["B1"] = "Intitulé"
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = plan_import(rows=read_workbook(upload(buffer.getvalue())), dry_run=True, **NEW)

    messages = {(e.sheet, e.message) for e in result.errors}
    assert ("Stratégies", "Cette feuille manque au classeur.") in messages
    assert ("Orientations", "La colonne « Titre » manque.") in messages


def test_text_that_a_spreadsheet_would_run_is_neutralised_and_round_trips(
    admin_client, plan_2018_2023
):
    strategy = Strategy.objects.filter(orientation__plan=plan_2018_2023).first()
    strategy.text = '=HYPERLINK("http://example.com","x")'
    strategy.save()
    orientation = plan_2018_2023.orientations.get(number=1)
    orientation.title = "'-déjà protégé"
    orientation.save()

    content = export(admin_client, plan_2018_2023)
    sheet = load_workbook(io.BytesIO(content))["Stratégies"]
    cell = next(c for c in sheet["C"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"
    assert cell.value == "'" + strategy.text

    result = plan_import(rows=read_workbook(upload(content)), dry_run=False, **NEW)
    assert result.is_valid
    assert plan_structure(result.plan) == plan_structure(plan_2018_2023)


def test_a_name_already_used_is_refused_on_the_form(admin_client, plan_2018_2023):
    content = export(admin_client, plan_2018_2023)
    response = admin_client.post(
        IMPORT_URL,
        {
            "title": plan_2018_2023.title,
            "start_year": 2018,
            "end_year": 2023,
            "file": upload(content),
        },
    )
    form = response.context["form"]
    assert form.errors["title"] == ["Un plan porte déjà ce titre."]
    assert form.errors["end_year"] == ["Un autre plan couvre déjà ces années."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "Ce fichier n’est pas un classeur XLSX."),
        (b"PK\x03\x04 broken", "Ce fichier n’est pas un classeur XLSX."),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(content, message):
    with pytest.raises(ValidationError, match=message):
        read_workbook(upload(content))


def test_an_archive_declaring_a_huge_content_is_refused_before_reading(monkeypatch):
    limits = replace(plan_workbook.WORKBOOK_LIMITS, member_bytes=1_000, total_bytes=1_000)
    monkeypatch.setattr(plan_workbook, "WORKBOOK_LIMITS", limits)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", " " * 5_000)
    with pytest.raises(ValidationError, match="trop volumineux"):
        read_workbook(upload(buffer.getvalue()))


def test_a_sheet_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(plan_workbook, "MAX_ROWS_PER_SHEET", 50)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Orientations"
    sheet.append(["Numéro", "Titre"])
    for number in range(1, 60):
        sheet.append([number, f"Orientation {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match="au plus 50 lignes par feuille"):
        read_workbook(upload(buffer.getvalue()))


def test_staff_cannot_import_a_plan(staff_client, plan_2018_2023):
    content = plan_workbook.plan_workbook(plan_2018_2023)
    response = staff_client.post(IMPORT_URL, {**NEW, "file": upload(content)})
    assert response.status_code == 302
    assert not StrategicPlan.objects.filter(title=NEW["title"]).exists()


def test_the_workbook_is_written_by_the_one_spreadsheet_writer(plan_2018_2023):
    """Write-only sheets (no formula cell), drop-downs from the hidden « Listes » sheet."""
    workbook = load_workbook(io.BytesIO(plan_workbook.plan_workbook(plan_2018_2023)))
    for sheet in workbook.worksheets:
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    validations = workbook["Indicateurs"].data_validations.dataValidation
    assert {str(v.sqref) for v in validations} == {
        f"{letter}2:{letter}{plan_workbook.MAX_ROWS_PER_SHEET}" for letter in "EFHJK"
    }
    assert workbook["Listes"].sheet_state == "hidden"


def test_a_part_bigger_than_the_upload_caps_is_refused_before_openpyxl_reads_it(monkeypatch):
    """The XML parts are scanned within indicators.uploads' caps (here: rows of a sheet)."""
    monkeypatch.setattr(uploads, "MAX_ROWS", 10)
    workbook = Workbook()
    workbook.active.title = "Orientations"
    for number in range(20):
        workbook.active.append([number, f"Orientation {number}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match="plus de 10 lignes"):
        read_workbook(upload(buffer.getvalue()))


def with_rows(content, sheet, *rows):
    """The workbook with `rows` appended to `sheet`."""
    workbook = load_workbook(io.BytesIO(content))
    for row in rows:
        workbook[sheet].append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_preview_writes_nothing_and_locks_nothing(admin_client, plan_2018_2023):
    """The preview checks unsaved objects (full_clean): no row written then rolled back.

    (full_clean() asks the database about check constraints in read-only savepoints.)"""
    content = export(admin_client, plan_2018_2023)
    with CaptureQueriesContext(connection) as queries:
        preview = admin_client.post(IMPORT_URL, {**NEW, "file": upload(content)})
    assert preview.context["preview"].is_valid
    writes = [
        query["sql"]
        for query in queries
        if (
            query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "ROLLBACK"))
            or "FOR UPDATE" in query["sql"].upper()
        )
        and "django_session" not in query["sql"]
    ]
    assert writes == []
    assert dict(preview.context["preview"].count_rows())["Indicateurs"] == 19


def test_rows_that_clash_within_the_file_are_refused_as_the_database_would(plan_2018_2023):
    """Unique constraints whose parent is new are checked against the file's other rows."""
    content = plan_workbook.plan_workbook(plan_2018_2023)
    content = with_rows(content, "Sous-éléments des résultats", [1, "a", "Encore a)"])
    content = with_rows(content, "Niveaux d’échelle", ["1.3", 1, "Encore 1"])
    content = with_rows(
        content,
        "Dimensions de ventilation",
        ["Type de lieu", "", "Ville", 1],
        ["Type de lieu", "", "Ville", 2],
    )
    content = with_rows(content, "Valeurs organisationnelles", ["", "Collaboration", "Encore"])

    for dry_run in (True, False):
        result = plan_import(rows=read_workbook(upload(content)), dry_run=dry_run, **NEW)

        clashes = {(e.sheet, e.row) for e in result.errors if "existe déjà" in e.message}
        assert clashes == {
            ("Sous-éléments des résultats", 4),
            ("Niveaux d’échelle", 32),
            ("Dimensions de ventilation", 72),
        }, [str(e) for e in result.errors]
        assert not StrategicPlan.objects.filter(title=NEW["title"]).exists()
        assert not Dimension.objects.filter(name="Type de lieu").exists()
