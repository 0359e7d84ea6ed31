"""`?format=csv` as Excel in French reads it: UTF-8 with BOM, « ; », decimal commas, French
headers, every row in one file, formulas neutralised."""

import csv
import io

import pytest

from indicators.models import Measurement, MeasurementValidation
from tests import codes, factories

pytestmark = pytest.mark.django_db


def read_as_excel_french(response):
    """The rows Excel (fr-CA) sees: it needs the BOM to read UTF-8, and splits on « ; »."""
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "without a BOM, Excel reads the file as ANSI"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_values_csv_reads_in_excel_french(api_clients, recorded_data, staff_user):
    factories.measurement(
        codes.indicator("1.2"),
        codes.period("2018-2019"),
        staff_user,
        value="12.5",
        narrative='=HYPERLINK("http://exemple.test") : réussite',
    )
    response = api_clients["board"].get("/api/valeurs/?format=csv&page_size=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="valeurs.csv"'
    header, *rows = read_as_excel_french(response)
    assert header[:7] == [
        "Identifiant",
        "Indicateur",
        "Code",
        "Période",
        "Statut",
        "Valeur",
        "Ventilation",
    ]
    assert len(rows) == 2, "a CSV holds every row, whatever ?page_size says"
    by_code = {row[2]: row for row in rows}
    assert by_code["1.2"][5] == "12,5"
    assert by_code["1.2"][7] == '\'=HYPERLINK("http://exemple.test") : réussite'
    assert by_code["1.1"][5] == "9"
    assert by_code["1.1"][6] == (
        "Entreprise d'économie sociale (EÉS) : 4 ; Réseau ou regroupement d'économie sociale : 5"
    )


def test_every_list_has_a_french_csv(api_clients, recorded_data):
    for resource in (
        "plans",
        "orientations",
        "resultats",
        "strategies",
        "indicateurs",
        "periodes",
        "cibles",
        "statuts",
    ):
        response = api_clients["staff"].get(f"/api/{resource}/?format=csv")
        assert response.status_code == 200, resource
        header, *_rows = read_as_excel_french(response)
        assert "Identifiant" in header or "Indicateur" in header, resource
    plans = read_as_excel_french(api_clients["staff"].get("/api/plans/?format=csv"))
    assert plans[1][1:5] == ["2018-2023", "Plan stratégique 2018-2023", "oui", "non"]


def test_an_error_in_csv_is_a_csv_too(api_clients):
    response = api_clients["revoked"].get("/api/valeurs/?format=csv")
    assert response.status_code == 401
    assert read_as_excel_french(response) == [["Erreur"], ["Jeton inconnu ou révoqué."]]


def test_one_object_is_a_one_row_csv(api_clients, recorded_data):
    response = api_clients["staff"].get(f"/api/valeurs/{recorded_data.pk}/?format=csv")
    header, *rows = read_as_excel_french(response)
    assert header[0] == "Identifiant"
    assert [row[0] for row in rows] == [str(recorded_data.pk)]


def test_values_carry_their_validation_state(api_clients, recorded_data):
    """Issue 23: the state travels with the value, a code in JSON and its French word in CSV
    (empty for a value recorded without the validation step)."""
    value = Measurement.objects.get(indicator=codes.indicator("1.1"))
    Measurement.objects.filter(pk=value.pk).update(validation_state=MeasurementValidation.PENDING)
    listed = api_clients["board"].get("/api/valeurs/").json()["results"]
    states = {row["id"]: row["validation_state"] for row in listed}
    assert states[value.pk] == "pending"

    def csv_state():
        response = api_clients["board"].get("/api/valeurs/?format=csv")
        header, *rows = read_as_excel_french(response)
        return {row[2]: row[header.index("Validation")] for row in rows}["1.1"]

    assert csv_state() == "à valider"
    Measurement.objects.filter(pk=value.pk).update(
        validation_state=MeasurementValidation.NOT_REQUIRED
    )
    assert csv_state() == ""
