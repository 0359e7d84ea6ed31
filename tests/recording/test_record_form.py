"""Recording and correcting a value through /indicateurs/<pk>/: bad inputs, history, locks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import (
    Evidence,
    Measurement,
    MeasurementBreakdown,
)
from indicators.recording.forms import MeasurementForm
from indicators.recording.services import measurement_record
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def post(client, indicator, **data):
    data.setdefault("status", "recorded")
    data.setdefault("version", 0)
    return client.post(indicator.get_absolute_url(), data)


def nothing_written():
    return (
        Measurement.objects.count() == 0
        and MeasurementBreakdown.objects.count() == 0
        and Evidence.objects.count() == 0
        and Measurement.history.count() == 0
    )


def test_staff_records_a_count_by_category_with_derived_total(
    staff_client, staff_user, tools_indicator, period, categories
):
    response = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        **{f"cat_{categories[0].pk}": "3", f"cat_{categories[1].pk}": "4"},
        comment="Compté à partir du site Web",
    )

    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=tools_indicator, period=period)
    assert measurement.value == 7
    assert measurement.recorded_by == staff_user
    assert measurement.version == 1
    assert {b.category_id: b.value for b in measurement.breakdowns.all()} == {
        categories[0].pk: 3,
        categories[1].pk: 4,
    }
    page = staff_client.get(response["Location"]).content.decode()
    assert "La valeur de 2019-2020 a été enregistrée." in page
    assert "Compté à partir du site Web" in page


@pytest.mark.parametrize(
    ("fixture", "field", "typed", "message"),
    [
        (
            "count_indicator",
            "value",
            "douze",
            "Saisissez un nombre (des chiffres seulement, par exemple 12 ou 12,5).",
        ),
        ("count_indicator", "value", "-3", "Un nombre ne peut pas être négatif."),
        ("count_indicator", "value", "2,5", "Un nombre doit être entier (sans décimales)."),
        ("tools_indicator", "cat", "2,5", "Un nombre doit être entier (sans décimales)."),
        ("tools_indicator", "cat", "-1", "Un nombre ne peut pas être négatif."),
        (
            "tools_indicator",
            "cat",
            "beaucoup",
            "Saisissez un nombre (des chiffres seulement, par exemple 12 ou 12,5).",
        ),
        ("level_indicator", "level", "9", "Choisissez un niveau de l’échelle (de 1 à 5)."),
        (
            "percentage_indicator",
            "value",
            "120",
            "Un pourcentage doit être compris entre 0 et 100.",
        ),
        ("percentage_indicator", "value", "-1", "Un pourcentage doit être compris entre 0 et 100."),
        ("amount_indicator", "value", "-50", "Un montant ne peut pas être négatif."),
        ("qualitative_indicator", "narrative", "", "Décrivez ce qui a été observé."),
    ],
)
def test_bad_value_is_refused_next_to_the_field_and_nothing_is_written(
    request, staff_client, period, fixture, field, typed, message
):
    indicator = request.getfixturevalue(fixture)
    if field == "cat":
        field = f"cat_{indicator.dimension.categories.first().pk}"
    response = post(staff_client, indicator, period=period.pk, **{field: typed})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    form = response.context["form"]
    assert message in form.errors[field]
    if typed and field != "level":  # a select cannot show a level outside its scale
        assert f'value="{typed}"' in page or f">{typed}<" in page  # what was typed is kept
    assert nothing_written()


def test_every_category_error_shows_at_once(staff_client, tools_indicator, period, categories):
    """A word in one category does not hide a negative or a decimal in the others."""
    typed = {categories[0]: "beaucoup", categories[1]: "-3", categories[2]: "2,5"}
    response = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        **{f"cat_{category.pk}": text for category, text in typed.items()},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"cat_{categories[0].pk}"] == [
        "Saisissez un nombre (des chiffres seulement, par exemple 12 ou 12,5)."
    ]
    assert errors[f"cat_{categories[1].pk}"] == ["Un nombre ne peut pas être négatif."]
    assert errors[f"cat_{categories[2].pk}"] == ["Un nombre doit être entier (sans décimales)."]
    assert nothing_written()


def test_not_measured_requires_an_explanation(staff_client, tools_indicator, period):
    response = post(staff_client, tools_indicator, period=period.pk, status="not_measured")

    assert "Expliquez pourquoi l’indicateur n’a pas été mesuré." in response.content.decode()
    assert response.context["form"].errors["explanation"]
    assert nothing_written()


def test_not_measured_with_an_explanation_is_recorded(staff_client, tools_indicator, period):
    response = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        status="not_measured",
        explanation="Le sondage n’a pas eu lieu cette année.",
    )

    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.status == "not_measured"
    assert measurement.value is None
    page = staff_client.get(tools_indicator.get_absolute_url()).content.decode()
    assert "non mesuré / sans objet" in page
    assert "Le sondage n’a pas eu lieu cette année." in page


def test_level_shows_the_rubric_labels_and_records_the_level(staff_client, level_indicator, period):
    page = staff_client.get(level_indicator.get_absolute_url()).content.decode()
    assert "3 – Expérimentation" in page

    response = post(staff_client, level_indicator, period=period.pk, level="4")

    assert response.status_code == 302
    assert Measurement.objects.get().value == 4
    page = staff_client.get(level_indicator.get_absolute_url()).content.decode()
    assert "4 – Intégration" in page


def test_amount_is_shown_in_french_format(staff_client, amount_indicator, period):
    response = post(staff_client, amount_indicator, period=period.pk, value="1234,5")

    assert response.status_code == 302
    page = staff_client.get(amount_indicator.get_absolute_url()).content.decode()
    assert "1\xa0234,50\xa0$" in page


def test_locked_period_is_refused(staff_client, tools_indicator, period, categories):
    period.is_locked = True
    period.save()

    response = post(
        staff_client, tools_indicator, period=period.pk, **{f"cat_{categories[0].pk}": "2"}
    )

    assert response.status_code == 200
    assert (
        "La période « 2019-2020 » est verrouillée : ses valeurs ne peuvent plus être modifiées."
        in response.content.decode()
    )
    assert nothing_written()


def test_period_of_another_plan_is_refused(staff_client, tools_indicator, categories):
    other = factories.period(factories.plan(start_year=2023, end_year=2028))

    response = post(
        staff_client, tools_indicator, period=other.pk, **{f"cat_{categories[0].pk}": "2"}
    )

    assert response.status_code == 200
    assert (
        "La période « 2023-2024 » n’appartient pas au plan de cet indicateur."
        in response.content.decode()
    )
    assert nothing_written()


def test_correction_requires_a_reason_and_keeps_the_old_value(
    staff_client, staff_user, tools_indicator, period, categories
):
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={categories[0].pk: 3},
        version=0,
    )

    response = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        version=1,
        **{f"cat_{categories[0].pk}": "5"},
    )

    assert response.status_code == 200
    assert (
        "Une valeur a déjà été saisie : indiquez la raison de la modification."
        in response.content.decode()
    )
    measurement = Measurement.objects.get()
    assert measurement.value == 3
    assert measurement.version == 1
    assert measurement.history.count() == 1


def test_correction_with_a_reason_keeps_both_versions_in_the_history(
    staff_client, staff_user, other_staff, tools_indicator, period, categories
):
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=other_staff,
        breakdown={categories[0].pk: 3, categories[1].pk: 4},
        version=0,
    )

    response = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        version=1,
        reason="Deux guides avaient été oubliés",
        **{f"cat_{categories[0].pk}": "5", f"cat_{categories[1].pk}": "4"},
    )

    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == 9
    assert measurement.version == 2
    assert measurement.recorded_by == other_staff
    assert measurement.updated_by == staff_user
    latest, first = measurement.history.order_by("-history_date")
    assert latest.history_change_reason == "Deux guides avaient été oubliés"
    assert latest.history_user == staff_user
    assert first.history_user == other_staff
    assert first.value == 7

    history = staff_client.get(tools_indicator.get_absolute_url()).context["history"]
    assert [entry["created"] for entry in history] == [False, True]
    assert history[0]["reason"] == "Deux guides avaient été oubliés"
    assert ("Valeur", "7\xa0outils", "9\xa0outils") in history[0]["changes"]
    assert (categories[0].name, "3", "5") in history[0]["changes"]
    assert history[0]["who"] == staff_user
    assert history[1]["who"] == other_staff
    page = staff_client.get(tools_indicator.get_absolute_url()).content.decode()
    assert "Deux guides avaient été oubliés" in page
    assert "7\xa0outils → 9\xa0outils" in page
    assert "Luc Bouchard" in page


def test_concurrent_change_is_refused_with_the_other_persons_value(
    staff_client, other_staff, tools_indicator, period, categories
):
    """Form opened at version 0; Luc saves first; the second save must not overwrite his."""
    opened = staff_client.get(f"{tools_indicator.get_absolute_url()}?periode={period.pk}")
    assert opened.context["form"]["version"].value() == 0
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=other_staff,
        breakdown={categories[0].pk: 8},
        version=0,
    )

    response = post(
        staff_client, tools_indicator, period=period.pk, **{f"cat_{categories[0].pk}": "2"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Luc Bouchard a modifié cette valeur depuis que vous avez ouvert le formulaire" in page
    assert "la valeur actuelle est « 8\xa0outils »" in page
    assert 'value="2"' in page  # what the person typed is kept
    measurement = Measurement.objects.get()
    assert measurement.value == 8
    assert measurement.version == 1
    # A deliberate second save, now starting from version 1 and with a reason, goes through.
    assert response.context["form"]["version"].value() == 1
    again = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        version=1,
        reason="Vérifié avec Luc",
        **{f"cat_{categories[0].pk}": "2"},
    )
    assert again.status_code == 302
    assert Measurement.objects.get().value == 2


def test_stale_version_is_refused_by_the_service_too(
    staff_user, other_staff, tools_indicator, period, categories
):
    from indicators.recording.guard import WriteConflict

    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=other_staff,
        breakdown={categories[0].pk: 8},
        version=0,
    )
    with pytest.raises(WriteConflict) as conflict:
        measurement_record(
            indicator=tools_indicator,
            period=period,
            user=staff_user,
            breakdown={categories[0].pk: 1},
            version=0,
            reason="x",
        )
    assert conflict.value.current.value == 8


def test_value_and_breakdown_are_written_together_or_not_at_all(
    staff_user, tools_indicator, period, categories, media_root
):
    """The evidence check fails after the measurement row was saved: everything rolls back."""
    from django.core.exceptions import ValidationError

    bad = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        measurement_record(
            indicator=tools_indicator,
            period=period,
            user=staff_user,
            breakdown={categories[0].pk: 3},
            version=0,
            evidence_files=[bad],
        )
    assert nothing_written()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "programme.exe",
            b"MZ\x90\x00",
            "Le fichier « programme.exe » n’est pas d’un type accepté.",
        ),
        ("rapport.pdf", PNG, "Le contenu de « rapport.pdf » ne correspond pas à son type (PDF)."),
        ("photo.png", PDF, "Le contenu de « photo.png » ne correspond pas à son type (PNG)."),
        ("tableau.xlsx", b"PK\x03\x04garbage", "ne correspond pas à son type (XLSX)"),
        ("gros.pdf", PDF + b"0" * 2048, "Le fichier « gros.pdf » est trop volumineux"),
    ],
)
def test_bad_evidence_file_is_refused_and_nothing_is_written(
    settings, staff_client, tools_indicator, period, categories, media_root, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = staff_client.post(
        tools_indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            f"cat_{categories[0].pk}": "3",
            "evidence_files": [SimpleUploadedFile(name, content)],
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["evidence_files"]
    assert nothing_written()
    assert not (media_root / "evidence").exists() or not any((media_root / "evidence").iterdir())


def test_bad_evidence_link_is_refused(staff_client, tools_indicator, period, categories):
    response = post(
        staff_client,
        tools_indicator,
        period=period.pk,
        evidence_links="pas une adresse",
        **{f"cat_{categories[0].pk}": "3"},
    )

    assert "« pas une adresse » n’est pas une adresse Web valide" in response.content.decode()
    assert nothing_written()


def test_evidence_file_is_stored_and_served_only_to_allowed_people(
    client, staff_client, tools_indicator, period, categories, media_root, django_user_model
):
    response = staff_client.post(
        tools_indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            f"cat_{categories[0].pk}": "3",
            "evidence_files": [SimpleUploadedFile("Rapport annuel.pdf", PDF)],
            "evidence_links": "https://tiess.ca/outils",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(url="")
    assert evidence.original_name == "Rapport annuel.pdf"
    assert evidence.content_type == "application/pdf"
    assert "Rapport" not in evidence.file.name  # unguessable stored name
    assert Evidence.objects.filter(url="https://tiess.ca/outils").exists()

    download = staff_client.get(f"/preuves/{evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "Rapport annuel.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF

    client.logout()
    assert client.get(f"/preuves/{evidence.pk}/").status_code == 302
    nobody = django_user_model.objects.create_user("sans-role", password="x-y-z-123456")
    client.force_login(nobody)
    assert client.get(f"/preuves/{evidence.pk}/").status_code == 403


def test_locked_period_shows_a_notice_instead_of_the_form(staff_client, tools_indicator, period):
    period.is_locked = True
    period.save()

    response = staff_client.get(f"{tools_indicator.get_absolute_url()}?periode={period.pk}")

    page = response.content.decode()
    assert "La période « 2019-2020 » est verrouillée" in page
    assert 'name="status"' not in page


class CountedReads(SimpleUploadedFile):
    """An upload that counts the type checks: each reads its first 8 KiB (storing it reads
    it by larger chunks)."""

    head_reads = 0

    def read(self, size=-1):
        if self.tell() == 0 and size == 8192:
            CountedReads.head_reads += 1
        return super().read(size)


def test_a_save_reads_the_saved_row_once_and_checks_each_file_once(
    staff_user, count_indicator, period
):
    """The form asks the service's check with the row the page read; the save reads it again
    only under its lock, and stores the type the check found."""
    saved = factories.measurement(count_indicator, period, staff_user, 5)
    upload = CountedReads("rapport.pdf", PDF, content_type="application/pdf")
    form = MeasurementForm(
        {"period": period.pk, "version": 1, "status": "recorded", "value": "6", "reason": "R"},
        {"evidence_files": upload},
        indicator=count_indicator,
        measurement=saved,
        period=period,
    )
    with CaptureQueriesContext(connection) as queries:
        assert form.is_valid()
        measurement = form.save(user=staff_user)
    assert measurement.value == 6
    assert Evidence.objects.get().content_type == "application/pdf"
    assert CountedReads.head_reads == 1
    row_reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "indicators_measurement"."id"')
        and f'"indicators_measurement"."period_id" = {period.pk}' in query["sql"]
    ]
    assert len(row_reads) == 1
