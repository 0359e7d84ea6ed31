"""Export of every value as CSV and XLSX, and import with a preview, round-tripping."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.models import Evidence, Measurement, MeasurementBreakdown
from indicators.recording.services import measurement_record


def snapshot():
    """Every value in the database, independent of primary keys and people."""
    return sorted(
        (
            f"{m.indicator.result.number}.{m.indicator.order}",
            m.period.name,
            m.status,
            m.value,
            m.narrative,
            m.explanation,
            m.comment,
            tuple(sorted((b.category.name, b.value) for b in m.breakdowns.all())),
        )
        for m in Measurement.objects.select_related("indicator__result", "period").prefetch_related(
            "breakdowns__category"
        )
    )


def empty_the_database():
    Evidence.objects.all().delete()
    MeasurementBreakdown.objects.all().delete()
    Measurement.objects.all().delete()


def import_file(client, name, content):
    preview = client.post("/saisie/import/", {"file": SimpleUploadedFile(name, content)})
    assert preview.status_code == 200
    return preview


def test_csv_export_has_french_headers_breakdowns_and_who_recorded(staff_client, recorded):
    response = staff_client.get("/saisie/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="valeurs-indicateurs-2018-2023-'
    )
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    for column in [
        "Code de l’indicateur",
        "Période",
        "Statut",
        "Valeur (total pour une ventilation)",
        "Catégorie",
        "Valeur de la catégorie",
        "Commentaire",
        "Saisi par",
        "Saisi le",
    ]:
        assert column in header
    by_column = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    tools = [row for row in by_column if row["Code de l’indicateur"] == "1.2"]
    assert [(row["Catégorie"], row["Valeur de la catégorie"]) for row in tools[:2]] == [
        ("Guide ou trousse", "3"),
        ("Formation ou atelier", "11"),
    ]
    assert tools[0]["Valeur (total pour une ventilation)"] == "14"
    assert tools[0]["Saisi par"] == "Marie Tremblay"
    assert tools[2]["Statut"] == "non mesuré / sans objet"


def test_csv_export_neutralises_formulas(staff_client, recorded):
    text = staff_client.get("/saisie/export.csv").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://exemple.test")' in cells
    assert "'-selon le sondage; @équipe +1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_export_has_french_headers_and_no_formula(staff_client, recorded):
    response = staff_client.get("/saisie/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    assert "Valeur de la catégorie" in header
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_then_import_on_an_empty_database_gives_back_the_same_values(
    staff_client, recorded, extension
):
    before = snapshot()
    exported = staff_client.get(f"/saisie/export.{extension}").getvalue()
    empty_the_database()
    assert snapshot() == []

    preview = import_file(staff_client, f"valeurs.{extension}", exported)
    result = preview.context["preview"]
    assert result.is_valid, [row.errors for row in result.rows]
    assert "Toutes les lignes sont valides : 4 valeurs seront enregistrées." in (
        preview.content.decode()
    )
    assert Measurement.objects.count() == 0  # the preview writes nothing

    confirmed = staff_client.post(
        "/saisie/import/", {"confirm": "1", "token": result.token}, follow=True
    )
    assert "4 valeurs ont été importées." in confirmed.content.decode()
    assert snapshot() == before


def test_importing_the_same_file_again_changes_nothing(staff_client, recorded):
    before = snapshot()
    exported = staff_client.get("/saisie/export.csv").getvalue()
    result = import_file(staff_client, "valeurs.csv", exported).context["preview"]
    assert result.is_valid
    assert result.written == 0
    assert result.unchanged == 4
    assert snapshot() == before


HEADER = (
    "Code de l’indicateur;Période;Statut;Valeur (total pour une ventilation);"
    "Catégorie;Valeur de la catégorie;Commentaire;Explication (non mesuré);"
    "Raison de la modification\r\n"
)


def test_import_preview_lists_every_rows_errors_and_writes_nothing(staff_client, recorded):
    before = snapshot()
    content = HEADER + (
        "1.3;2021-2022;saisi;3;;;ok;;\r\n"  # valid on its own
        "1.3;2022-2023;saisi;9;;;;;\r\n"  # level outside the scale
        "9.9;2021-2022;saisi;1;;;;;\r\n"  # unknown indicator
        "1.2;2030-2031;saisi;;Guide ou trousse;2;;;\r\n"  # unknown period
        "1.2;2022-2023;saisi;;Guide ou trousse;2,5;;;\r\n"  # not a whole number
        "1.2;2021-2022;saisi;;Licorne;2;;;\r\n"  # unknown category
        "1.1;2021-2022;non mesuré;;;;;;\r\n"  # no explanation
        "1.1;2022-2023;saisi;;Réseau;abc;;;\r\n"  # not a number
        "1.2;2019-2020;saisi;;Guide ou trousse;4;;;\r\n"  # correction without a reason
    )
    preview = import_file(staff_client, "valeurs.csv", content.encode("utf-8"))
    result = preview.context["preview"]

    assert not result.is_valid
    errors = {row.line: " ".join(row.errors) for row in result.rows}
    assert errors[2] == ""
    assert "Choisissez un niveau de l’échelle (de 1 à 5)." in errors[3]
    assert "aucun indicateur « 9.9 » dans le plan 2018-2023" in errors[4]
    assert "aucune période « 2030-2031 » dans le plan 2018-2023" in errors[5]
    assert "Un nombre doit être entier (sans décimales)." in errors[6]
    assert "« Licorne » n’est pas une catégorie de « Type d'outil »" in errors[7]
    assert "Expliquez pourquoi l’indicateur n’a pas été mesuré." in errors[8]
    assert "« abc » n’est pas un nombre" in errors[9]
    assert "indiquez la raison de la modification" in errors[10]
    page = preview.content.decode()
    assert "rien ne sera enregistré" in page
    assert "Confirmer l’importation" not in page
    assert snapshot() == before

    # Confirming anyway (forged request) writes nothing either.
    staff_client.post("/saisie/import/", {"confirm": "1", "token": result.token})
    assert snapshot() == before


def test_import_of_a_correction_with_a_reason_is_kept_in_history(
    staff_client, staff_user, recorded, tools_indicator
):
    content = HEADER + "1.2;2019-2020;saisi;;Guide ou trousse;5;;;Recomptage\r\n"
    result = import_file(staff_client, "valeurs.csv", content.encode("utf-8")).context["preview"]
    assert result.is_valid
    staff_client.post("/saisie/import/", {"confirm": "1", "token": result.token})

    measurement = Measurement.objects.get(indicator=tools_indicator, period__name="2019-2020")
    assert measurement.value == Decimal(5)
    assert measurement.history.latest().history_change_reason == "Recomptage"


def test_import_refuses_a_file_without_the_columns(staff_client, plan_2018_2023):
    preview = import_file(staff_client, "valeurs.csv", b"a;b\r\n1;2\r\n")
    assert "Colonnes manquantes" in preview.content.decode()
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_comments_starting_with_an_apostrophe_come_back_exactly(
    staff_client, staff_user, count_indicator, extension
):
    """A comment typed as « '=x » or « '-1 » is not a protected formula: it stays as typed."""
    periods = list(count_indicator.plan.periods.order_by("start_date"))
    comments = ["'=x", "'-1", "''", "'"]
    for period, comment in zip(periods, comments, strict=False):
        measurement_record(
            indicator=count_indicator,
            period=period,
            user=staff_user,
            value=1,
            comment=comment,
            version=0,
        )
    exported = staff_client.get(f"/saisie/export.{extension}").getvalue()
    empty_the_database()

    result = import_file(staff_client, f"valeurs.{extension}", exported).context["preview"]
    assert result.is_valid, [row.errors for row in result.rows]
    staff_client.post("/saisie/import/", {"confirm": "1", "token": result.token})

    assert sorted(Measurement.objects.values_list("comment", flat=True)) == sorted(comments)


def data_writes(queries):
    """The statements among `queries` that write data or lock rows (the session's aside)."""
    return [
        query["sql"]
        for query in queries
        if (
            query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            or "FOR UPDATE" in query["sql"].upper()
        )
        and "django_session" not in query["sql"]
    ]


def test_a_preview_of_corrections_writes_nothing_and_locks_nothing(
    staff_client, recorded, tools_indicator
):
    """The preview validates through measurement_check: no row lock, no history written."""
    history = Measurement.history.count()
    content = HEADER + (
        "1.2;2019-2020;saisi;;Guide ou trousse;5;;;Recomptage\r\n"
        "1.2;2019-2020;saisi;;Formation ou atelier;12;;;\r\n"
        "1.3;2019-2020;saisi;4;;;;;Sondage refait\r\n"
    )
    with CaptureQueriesContext(connection) as queries:
        result = import_file(staff_client, "valeurs.csv", content.encode()).context["preview"]

    assert result.is_valid, [row.errors for row in result.rows]
    assert result.written == 2
    assert data_writes(queries) == []
    assert Measurement.history.count() == history

    staff_client.post("/saisie/import/", {"confirm": "1", "token": result.token})
    assert Measurement.history.count() == history + 2
    measurement = Measurement.objects.get(indicator=tools_indicator, period__name="2019-2020")
    assert measurement.value == Decimal(17)
