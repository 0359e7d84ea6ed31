"""A new kind of indicator needs only its own class: a throwaway "yes or no" kind, end to end.

The class below is registered for the test only, then used through the real form, service,
indicator page, dashboard, export and import. None of those was edited for it: they ask the
kind, so the class alone decides how a "yes or no" value is typed, checked, shown, charted,
exported and read back.
"""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import MeasureKind, Measurement, Target
from indicators.recording.services import measurement_record
from indicators.rules import kinds
from indicators.rules.formatting import EMPTY, Formatter, Levels, trim
from indicators.targets.services import target_value_problem
from tests.small_plan import make_indicator, make_period, make_result

ANSWERS = {"oui": Decimal(1), "non": Decimal(0), "1": Decimal(1), "0": Decimal(0)}


class YesNoKind(kinds.IndicatorKind):
    """Was it done? Stored as 1 (yes) or 0 (no), shown and exported as "oui" or "non"."""

    # The storage slot it borrows: see the `yes_no_indicator` fixture.
    key = MeasureKind.PERCENTAGE.value
    label = "oui ou non"
    form_label = "Fait ?"

    def number_problem(self, number: Decimal) -> str | None:
        return None if number in (0, 1) else "Répondez oui ou non."

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        if value is None:
            return EMPTY
        return "oui" if value else "non"

    def add_form_fields(self, form: forms.Form, *, indicator: Any, measurement: Any) -> None:
        form.fields["value"] = forms.TypedChoiceField(
            label=self.form_label,
            choices=[("", "---------"), ("1", "oui"), ("0", "non")],
            coerce=Decimal,
            empty_value=None,
            required=False,
        )
        if measurement is not None and measurement.value is not None:
            form.initial.setdefault("value", str(trim(measurement.value)))

    def export_cells(self, indicator: Any, measurement: Any) -> list[dict[str, Any]]:
        return [{"value": self.text(measurement.value, fmt=Formatter.active())}]

    def import_reading(self, indicator, group, *, status, cells) -> kinds.ImportReading:
        first = group[0]
        text = (first.data.get("value") or "").strip().lower()
        if text and text not in ANSWERS:
            first.errors.append(f"{cells.label('value')} : « {text} » n’est ni oui ni non.")
        for row in group[1:]:
            row.errors.append("Cette ligne répète la précédente.")
        return ANSWERS.get(text), {}, {}


@pytest.fixture
def yes_no_indicator(monkeypatch, db):
    """An indicator of the throwaway kind, in a small current plan with one period.

    Why it borrows the "percentage" slot: the kind column is constrained by the database
    (CheckConstraint over MeasureKind's values) and by its choices, so a kind the enum does
    not list cannot be stored without a migration; in production a new kind is one member of
    MeasureKind (the migration follows from it) plus its class here. The test cannot add a
    migration, so it stores the indicator under an existing value and puts its own class in
    that value's place in the registry, for this test only (monkeypatch restores it). Every
    rule then applied to the indicator is YesNoKind's: the percentage's "%" never shows up.
    """
    monkeypatch.setitem(kinds.KINDS, YesNoKind.key, YesNoKind())
    result = make_result()
    indicator = make_indicator(result, YesNoKind.key)
    period = make_period(result.orientation.plan)
    assert isinstance(indicator.kind_spec, YesNoKind)
    return indicator, period


def export_rows(client) -> list[dict[str, str]]:
    content = (
        client.get(reverse("indicators:measurement_export_csv")).getvalue().decode("utf-8-sig")
    )
    return list(csv.DictReader(io.StringIO(content), delimiter=";"))


def test_a_new_kind_is_one_class_from_form_to_import(staff_client, staff_user, yes_no_indicator):
    indicator, period = yes_no_indicator
    url = indicator.get_absolute_url()

    # Form: the kind's own field; an answer it does not know is refused.
    page = staff_client.get(url)
    assert isinstance(page.context["form"].fields["value"], forms.TypedChoiceField)
    assert "Fait ?" in page.content.decode()
    refused = staff_client.post(url, {"period": period.pk, "version": 0, "value": "2"})
    assert refused.status_code == 200
    assert "value" in refused.context["form"].errors
    assert not Measurement.objects.exists()

    # Service: the kind's check, for values and targets alike.
    with pytest.raises(ValidationError) as raised:
        measurement_record(indicator=indicator, period=period, user=staff_user, value=2)
    assert raised.value.message_dict == {"value": ["Répondez oui ou non."]}
    assert target_value_problem(indicator=indicator, value=Decimal(2)) == "Répondez oui ou non."
    assert target_value_problem(indicator=indicator, value=Decimal(1)) is None

    saved = staff_client.post(
        url, {"period": period.pk, "version": 0, "status": "recorded", "value": "1"}
    )
    assert saved.status_code == 302
    assert Measurement.objects.get().value == 1

    # Pages: the indicator page and the board show the kind's words, not a percentage.
    Target.objects.create(indicator=indicator, period=period, value=1)
    page = staff_client.get(url).content.decode()
    assert "Oui ou non" in page  # the kind's label
    assert "<strong>oui</strong>" in page
    assert "%" not in page.split('id="valeurs"')[1].split("</table>")[0]
    dashboard = staff_client.get(reverse("board:dashboard")).content.decode()
    assert 'data-status="reached"' in dashboard
    assert "<td>oui" in dashboard

    # Export: the kind's cells.
    (row,) = export_rows(staff_client)
    assert row["Type de mesure"] == "oui ou non"
    assert row["Valeur (total pour une ventilation)"] == "oui"

    # Import: the kind reads its own cells back, and refuses what it cannot read.
    exported = staff_client.get(reverse("indicators:measurement_export_csv")).getvalue()
    Measurement.objects.all().delete()
    import_url = reverse("indicators:measurement_import")
    wrong = exported.replace(b";oui;", b";peut-\xc3\xaatre;")
    preview = staff_client.post(import_url, {"file": SimpleUploadedFile("v.csv", wrong)})
    assert not preview.context["preview"].is_valid
    assert "« peut-être » n’est ni oui ni non" in preview.content.decode()

    preview = staff_client.post(import_url, {"file": SimpleUploadedFile("v.csv", exported)})
    result = preview.context["preview"]
    assert result.is_valid, [row.errors for row in result.rows]
    staff_client.post(import_url, {"confirm": "1", "token": result.token})
    assert Measurement.objects.get().value == 1


def test_the_registry_is_back_to_the_real_percentage_after_the_throwaway_kind():
    assert type(kinds.KINDS[MeasureKind.PERCENTAGE]) is kinds.PercentageKind
