"""The app's own structure template, filled in by a person, previews and imports (issue 19)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.lifecycle import workbook as plan_workbook
from plan.models import StrategicPlan

IMPORT_URL = reverse("admin:plan_strategicplan_structure_import")
TEMPLATE_URL = reverse("admin:plan_strategicplan_structure_template")
NEW = {"title": "Plan stratégique 2023-2028", "start_year": 2023, "end_year": 2028}


def plan_sheet(workbook):
    """{field label: its value cell} of the sheet « Plan »."""
    return {row[0].value: row[1] for row in workbook["Plan"].iter_rows(min_row=2)}


def filled_template(client, **plan_values):
    """The downloaded template with one orientation, result and strategy, and `plan_values`
    ({field label: value}) on the sheet « Plan »."""
    workbook = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content))
    cells = plan_sheet(workbook)
    for label, value in plan_values.items():
        cells[label].value = value
    workbook["Orientations"].append([1, "Une orientation"])
    workbook["Résultats"].append([1, 1, "Un résultat"])
    workbook["Stratégies"].append([1, 1, "Une stratégie", "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "modele.xlsx", buffer.getvalue(), content_type=plan_workbook.XLSX_CONTENT_TYPE
    )


def test_the_template_offers_the_plans_default_status_thresholds(admin_client, db):
    workbook = load_workbook(io.BytesIO(admin_client.get(TEMPLATE_URL).content))

    cells = plan_sheet(workbook)

    assert cells["Seuil « en bonne voie » (%)"].value == 95
    assert cells["Seuil « à surveiller » (%)"].value == 85
    assert cells["Organisme"].value is None


def test_a_template_filled_in_previews_and_creates_the_plan_counting_the_plan(admin_client, db):
    file = filled_template(admin_client, Organisme="TIESS", Mission="Notre mission")

    preview = admin_client.post(IMPORT_URL, {**NEW, "file": file})

    assert preview.status_code == 200
    assert preview.context["preview"].is_valid, [str(e) for e in preview.context["preview"].errors]
    counts = dict(preview.context["preview"].count_rows())
    assert (counts["Plan"], counts["Orientations"], counts["Stratégies"]) == (1, 1, 1)
    assert "<li>Plan : 1</li>" in preview.content.decode()
    admin_client.post(IMPORT_URL, {"confirm": "1", "token": preview.context["preview"].token})
    plan = StrategicPlan.objects.get(title=NEW["title"])
    assert (plan.organisation, plan.mission) == ("TIESS", "Notre mission")
    assert (plan.on_track_threshold, plan.watch_threshold) == (95, 85)


def test_a_blank_organisation_is_a_cell_error_not_a_crash(admin_client, db):
    response = admin_client.post(IMPORT_URL, {**NEW, "file": filled_template(admin_client)})

    assert response.status_code == 200
    errors = response.context["preview"].errors
    assert [(e.sheet, e.row, e.column, e.cell) for e in errors] == [("Plan", 3, "Valeur", "B3")]
    assert "Ce champ ne peut pas être vide." in response.content.decode()
    assert not StrategicPlan.objects.filter(title=NEW["title"]).exists()


def test_empty_thresholds_take_the_plans_defaults(admin_client, db):
    file = filled_template(
        admin_client,
        Organisme="TIESS",
        **{"Seuil « en bonne voie » (%)": None, "Seuil « à surveiller » (%)": None},
    )

    preview = admin_client.post(IMPORT_URL, {**NEW, "file": file})

    assert preview.context["preview"].is_valid, [str(e) for e in preview.context["preview"].errors]


@pytest.mark.parametrize(
    ("on_track", "watch"),
    [(80, 90), (101, 85)],
)
def test_thresholds_out_of_order_are_an_error_of_the_plan_sheet(admin_client, db, on_track, watch):
    file = filled_template(
        admin_client,
        Organisme="TIESS",
        **{"Seuil « en bonne voie » (%)": on_track, "Seuil « à surveiller » (%)": watch},
    )

    response = admin_client.post(IMPORT_URL, {**NEW, "file": file})

    assert response.status_code == 200
    errors = response.context["preview"].errors
    assert [e.sheet for e in errors] == ["Plan"]
    assert "Les seuils doivent respecter" in errors[0].message
    assert not StrategicPlan.objects.filter(title=NEW["title"]).exists()


def test_a_missing_plan_row_names_its_field(admin_client, db):
    workbook = load_workbook(io.BytesIO(admin_client.get(TEMPLATE_URL).content))
    workbook["Plan"].delete_rows(3)  # the row « Organisme »
    workbook["Orientations"].append([1, "Une orientation"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("modele.xlsx", buffer.getvalue())

    response = admin_client.post(IMPORT_URL, {**NEW, "file": file})

    assert response.status_code == 200
    [error] = response.context["preview"].errors
    assert error.sheet == "Plan"
    assert error.message.startswith("Organisme : ")
