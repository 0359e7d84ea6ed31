"""The indicator page as staff and the board read it: the form first for who records, no
empty chart, the evidence in the history, the totals shown again, the evidence download's
file name, tables a keyboard can scroll."""

import re
from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Evidence, Measurement
from indicators.recording.selectors import indicator_history
from indicators.recording.services import measurement_record
from tests import codes, factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NO_CHART = "Aucune valeur ni cible pour l’instant\u00a0: le graphique apparaîtra avec la première."


def disposition(client, evidence):
    """The download's Content-Disposition (the file is then closed)."""
    response = client.get(f"/preuves/{evidence.pk}/")
    response.close()
    return response["Content-Disposition"]


def entry_form(html):
    """The entry form's HTML, from its start tag to its end tag."""
    start = html.index('<form method="post" enctype="multipart/form-data"')
    return html[start : html.index("</form>", start)]


def test_staff_find_the_entry_form_before_what_was_recorded(staff_client, tools_indicator):
    html = staff_client.get(tools_indicator.get_absolute_url()).text

    form = html.index('id="saisie"')
    for section in ("definition-title", "values-title", "history-title", "chart-title"):
        assert form < html.index(f'id="{section}"'), section


def test_the_board_reads_the_definition_first_and_gets_no_form(board_client, tools_indicator):
    html = board_client.get(tools_indicator.get_absolute_url()).text

    assert 'id="saisie"' not in html
    assert html.index('id="definition-title"') < html.index('id="values-title"')


def test_the_period_choice_is_its_own_form_outside_the_entry_form(staff_client, tools_indicator):
    html = staff_client.get(tools_indicator.get_absolute_url()).text

    assert "<form" not in entry_form(html)[1:]
    section = html[html.index('id="saisie"') :]
    assert section.index('<form method="get"') < section.index('<form method="post"')
    assert 'name="periode"' not in entry_form(html)


def test_without_value_or_target_a_sentence_replaces_the_empty_axes(
    staff_client, level_indicator, period
):
    html = staff_client.get(level_indicator.get_absolute_url()).text
    assert NO_CHART in html
    assert "indicator-chart" not in html

    factories.target(level_indicator, period, 3)
    html = staff_client.get(level_indicator.get_absolute_url()).text
    assert NO_CHART not in html
    assert 'class="indicator-chart" role="img"' in html


def test_a_recorded_value_draws_the_chart(staff_client, staff_user, count_indicator, period):
    factories.measurement(count_indicator, period, staff_user, 4)

    response = staff_client.get(count_indicator.get_absolute_url())

    assert response.context["chart"] is not None
    assert NO_CHART not in response.text


def test_a_qualitative_indicator_has_neither_chart_nor_sentence(
    staff_client, qualitative_indicator
):
    response = staff_client.get(qualitative_indicator.get_absolute_url())

    assert response.context["chart"] is None
    assert NO_CHART not in response.text


def test_period_names_do_not_break_across_lines(staff_client, staff_user, count_indicator, period):
    factories.measurement(count_indicator, period, staff_user, 4)
    html = staff_client.get(count_indicator.get_absolute_url()).text

    assert f'<span class="text-nowrap">{period.name}</span>' in html  # values by period
    assert f'<th scope="row" class="text-nowrap">{period.name}</th>' in html  # chart's table
    assert f'<td class="text-nowrap">{period.name}</td>' in html  # history


def test_the_first_entry_of_the_history_names_the_evidence_attached(
    staff_client, staff_user, tools_indicator, period, categories, media_root
):
    response = staff_client.post(
        tools_indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            f"cat_{categories[0].pk}": "3",
            "evidence_files": [SimpleUploadedFile("Bilan annuel.pdf", PDF)],
            "evidence_links": "https://tiess.ca/outils",
        },
    )
    assert response.status_code == 302
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={categories[0].pk: 4},
        reason="Un outil oublié",
        version=1,
        evidence_files=[SimpleUploadedFile("Liste des outils.pdf", PDF)],
    )

    correction, first = indicator_history(tools_indicator)
    assert first["created"]
    assert first["evidence"] == ["Bilan annuel.pdf", "https://tiess.ca/outils"]
    assert correction["evidence"] == ["Liste des outils.pdf"]
    history = staff_client.get(tools_indicator.get_absolute_url()).text.split('id="historique"')[1]
    assert "Preuve ajoutée : Bilan annuel.pdf" in history
    assert "Preuve ajoutée : https://tiess.ca/outils" in history
    assert history.index("Liste des outils.pdf") < history.index("Bilan annuel.pdf")


def test_the_total_shown_again_after_an_error_elsewhere_counts_every_category(staff_client, period):
    """An error in another field: the page shows the total of every category typed, the
    last one included, and saves nothing."""
    indicator = codes.indicator("1.1")
    categories = list(indicator.dimension.categories.all())
    assert len(categories) == 7
    typed = {f"cat_{category.pk}": str(number) for number, category in enumerate(categories, 1)}

    response = staff_client.post(
        indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            "evidence_links": "pas une adresse",
            **typed,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"evidence_links"}
    assert re.search(r'<output id="breakdown-total"[^>]*>28</output>', response.text)
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_the_total_shown_again_counts_the_last_category_alone(staff_client, period):
    indicator = codes.indicator("1.1")
    last = list(indicator.dimension.categories.all())[-1]

    response = staff_client.post(
        indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            "comment": "x" * 5000,
            f"cat_{last.pk}": "6",
        },
    )

    assert "comment" in response.context["form"].errors
    assert re.search(r'<output id="breakdown-total"[^>]*>6</output>', response.text)


def test_evidence_is_downloaded_under_its_name_in_the_standard_encoded_form(
    staff_client, recorded_data, staff_user
):
    """RFC 6266 / 5987: a name beyond plain ASCII goes as filename*=utf-8''…, never raw."""
    name = 'Rapport « été » "final"\nv2.pdf'
    evidence = factories.evidence_file(recorded_data, staff_user, name="x.pdf")
    Evidence.objects.filter(pk=evidence.pk).update(original_name=name)

    header = disposition(staff_client, evidence)

    assert header.startswith("attachment; filename*=utf-8''")
    for raw in ("\n", '"', "«", "é"):
        assert raw not in header
    assert unquote(header.removeprefix("attachment; filename*=utf-8''")) == name


def test_a_plain_name_with_a_quote_is_escaped_in_the_quoted_form(
    staff_client, recorded_data, staff_user
):
    evidence = factories.evidence_file(recorded_data, staff_user, name="x.pdf")
    Evidence.objects.filter(pk=evidence.pk).update(original_name='bilan "final".pdf')

    header = disposition(staff_client, evidence)

    assert header == 'attachment; filename="bilan \\"final\\".pdf"'


def test_tables_that_scroll_on_a_phone_can_be_scrolled_with_the_keyboard(
    board_client, recorded_data
):
    html = board_client.get(recorded_data.indicator.get_absolute_url()).text

    for name in (
        "Tableau des cibles et valeurs par période",
        "Tableau de l’historique des valeurs",
    ):
        assert (
            f'<div class="table-responsive" tabindex="0" role="region" aria-label="{name}">' in html
        )
