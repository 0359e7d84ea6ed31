"""Feedback on the indicator page: the success message above the form where the page lands,
an error summary linking to each field, chosen evidence said plainly to be chosen again,
a confirmation asked for an implausible value; number inputs open the phone's keypad."""

from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Measurement
from indicators.rules.numbers import NumberField
from tests import codes, factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post(client, indicator, **data):
    data.setdefault("status", "recorded")
    data.setdefault("version", 0)
    return client.post(indicator.get_absolute_url(), data)


def test_success_message_is_shown_above_the_form_where_the_page_lands(
    staff_client, count_indicator, period
):
    response = post(staff_client, count_indicator, period=period.pk, value="4")

    assert response.status_code == 302
    assert response.url.endswith(f"?periode={period.pk}#saisie")
    html = staff_client.get(response.url).content.decode()
    form_section = html.split('id="saisie"')[1]
    assert 'id="saved-message"' in form_section
    assert form_section.index('id="saved-message"') < form_section.index('<form method="post"')
    assert html.count("La valeur de 2019-2020 a été enregistrée.") == 1


def test_error_summary_at_the_top_links_to_each_field(
    staff_client, staff_user, count_indicator, period
):
    factories.measurement(count_indicator, period, staff_user, 4)

    response = post(staff_client, count_indicator, period=period.pk, value="-3", version=1)

    html = response.content.decode()
    summary = html.split('class="alert alert-danger form-error-summary"')[1].split("</div>")[0]
    assert 'href="#id_value"' in summary
    assert 'href="#id_reason"' in summary
    assert html.index("form-error-summary") < html.index('name="value"')


def test_chosen_evidence_must_be_chosen_again_and_the_rest_is_kept(
    staff_client, count_indicator, period, media_root
):
    response = staff_client.post(
        count_indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            "value": "douze",
            "comment": "Compté sur le site",
            "evidence_files": SimpleUploadedFile("rapport.pdf", PDF),
        },
    )

    html = response.content.decode()
    assert "choisissez-les de nouveau" in html
    assert "Compté sur le site" in html
    assert not Measurement.objects.exists()


def test_implausible_value_asks_for_confirmation_on_the_indicator_page(
    staff_client, staff_user, count_indicator, period
):
    factories.measurement(count_indicator, codes.period("2018-2019"), staff_user, 10)

    asked = post(staff_client, count_indicator, period=period.pk, value="100")
    confirmed = post(staff_client, count_indicator, period=period.pk, value="100", confirmed="on")

    assert asked.status_code == 200
    assert "Je confirme cette valeur" in asked.content.decode()
    assert "plus de 3 fois celle de la période précédente" in asked.content.decode()
    assert confirmed.status_code == 302
    measurement = Measurement.objects.get(indicator=count_indicator, period=period)
    html = staff_client.get(confirmed.url).content.decode()
    assert measurement.plausibility_confirmation in html


def test_every_number_input_opens_the_decimal_keypad():
    assert NumberField().widget.attrs["inputmode"] == "decimal"


def test_indicator_page_warns_before_leaving_unsaved_changes(staff_client, count_indicator, period):
    html = staff_client.get(count_indicator.get_absolute_url()).content.decode()

    assert "js/unsaved.js" in html
    assert "data-unsaved-warning" in html
