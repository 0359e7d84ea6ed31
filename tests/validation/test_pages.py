"""The validation pages: permission on the server, one click for a whole period, returns."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, Measurement, MeasurementValidation
from indicators.recording.services import measurement_record


def url(period):
    return reverse("indicators:measurement_validation", args=[period.pk])


def _record_all(plan, period, user):
    """A plain count for every numeric indicator of the plan (qualitative ones: a story)."""
    saved = []
    recorded = Measurement.objects.filter(period=period).values("indicator_id")
    indicators = Indicator.objects.of_plan(plan).exclude(pk__in=recorded)
    for indicator in indicators.select_related("dimension"):
        typed = {"narrative": "Un récit de la période."}
        if indicator.dimension_id:
            typed["breakdown"] = {indicator.dimension.categories.first().pk: Decimal(2)}
        elif indicator.levels.exists():
            typed["value"] = indicator.levels.order_by("value").first().value
        elif not indicator.is_qualitative:
            typed["value"] = Decimal(1)
        saved.append(
            measurement_record(
                indicator=indicator, period=period, user=user, version=0, confirmed=True, **typed
            )
        )
    return saved


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_staff_and_board_may_not_open_the_validation_pages(client, staff_user, board_user, period):
    for person in (staff_user, board_user):
        client.force_login(person)
        assert client.get(url(period)).status_code == 403
        assert client.post(url(period), {"validate": "1"}).status_code == 403
        index = reverse("indicators:measurement_validation_index")
        assert client.get(index).status_code == 403


def test_every_value_of_a_period_is_validated_in_one_page_and_one_click(
    validation_on, coordinator_client, period, staff_user, django_assert_max_num_queries
):
    saved = _record_all(validation_on, period, staff_user)
    assert len(saved) >= 19
    with django_assert_max_num_queries(15):
        page = coordinator_client.get(url(period))
    assert page.status_code == 200
    text = page.text
    assert text.count('name="selection"') == len(saved)
    assert text.count("checked") == len(saved)
    # One click: the ticked boxes, as the browser sends them.
    data = {"validate": "1", "selection": [m.pk for m in saved]}
    data |= {f"version-{m.pk}": m.version for m in saved}
    response = coordinator_client.post(url(period), data)
    assert response.status_code == 302
    states = set(Measurement.objects.values_list("validation_state", flat=True))
    assert states == {MeasurementValidation.VALIDATED}
    after = coordinator_client.get(url(period))
    assert f"{len(saved)} valeurs ont été validées." in after.text
    assert "Aucune valeur de cette période n’attend de validation." in after.text


def test_the_page_shows_previous_value_target_plausibility_and_story(
    validation_on, coordinator_client, count_indicator, staff_user
):
    from tests import codes

    first, second = codes.period("2018-2019"), codes.period("2019-2020")
    measurement_record(
        indicator=count_indicator, period=first, user=staff_user, value=Decimal(10), version=0
    )
    measurement_record(
        indicator=count_indicator,
        period=second,
        user=staff_user,
        value=Decimal(900),
        narrative="Une année exceptionnelle.",
        version=0,
        confirmed=True,
    )
    text = coordinator_client.get(url(second)).text
    assert "900" in text
    assert "Une année exceptionnelle." in text
    assert "à vérifier" in text


def test_a_return_without_comment_is_refused_on_its_row(
    validation_on, coordinator_client, count_indicator, period, staff_user
):
    value = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    response = coordinator_client.post(
        url(period), {"return": value.pk, f"version-{value.pk}": 1, f"comment-{value.pk}": ""}
    )
    assert response.status_code == 400
    assert "Dites pourquoi la valeur est retournée." in response.text
    value.refresh_from_db()
    assert value.validation_state == MeasurementValidation.PENDING


def test_a_return_with_its_comment_sends_the_value_back(
    validation_on, coordinator_client, count_indicator, period, staff_user
):
    value = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    response = coordinator_client.post(
        url(period),
        {"return": value.pk, f"version-{value.pk}": 1, f"comment-{value.pk}": "Source ?"},
        follow=True,
    )
    assert "a été retournée à son auteur" in response.text
    value.refresh_from_db()
    assert (value.validation_state, value.return_comment) == (
        MeasurementValidation.RETURNED,
        "Source ?",
    )
    # It stays on the page, without a box to tick, with its comment.
    assert 'name="selection"' not in response.text
    assert "Source ?" in response.text


def test_a_stale_page_tells_the_second_coordinator(
    validation_on, client, coordinator, other_coordinator, count_indicator, period, staff_user
):
    value = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    data = {"validate": "1", "selection": [value.pk], f"version-{value.pk}": 1}
    client.force_login(coordinator)
    client.post(url(period), data)
    client.force_login(other_coordinator)
    response = client.post(url(period), data, follow=True)
    assert "Sophie Lavoie a modifié la validation de cette valeur" in response.text
    assert Measurement.objects.get().validated_by == coordinator


def test_the_index_lists_the_periods_with_their_counts(
    validation_on, coordinator_client, count_indicator, period, staff_user
):
    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    page = coordinator_client.get(reverse("indicators:measurement_validation_index"))
    assert page.status_code == 200
    assert url(period) in page.text
    assert "Valeurs à valider" in page.text


def test_the_indicator_page_shows_a_returned_value_with_its_comment(
    validation_on, staff_client, count_indicator, period, staff_user, coordinator
):
    from indicators.validation.services import measurement_return

    value = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    page_before = staff_client.get(count_indicator.get_absolute_url()).text
    assert "à valider" in page_before
    measurement_return(measurement=value, user=coordinator, version=1, comment="Quelle source ?")
    text = staff_client.get(count_indicator.get_absolute_url()).text
    assert "retournée" in text
    assert "Quelle source ?" in text


def test_the_indicator_history_says_who_validated_and_why_a_value_was_returned(
    validation_on, staff_client, count_indicator, period, staff_user, coordinator
):
    from indicators.recording.selectors import indicator_history
    from indicators.validation.services import measurement_return, measurement_validate

    value = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    measurement_return(measurement=value, user=coordinator, version=1, comment="Source ?")
    measurement_record(
        indicator=count_indicator,
        period=period,
        user=staff_user,
        value=Decimal(5),
        version=2,
        reason="Source ajoutée",
    )
    measurement_validate(measurement=value, user=coordinator, version=3)
    entries = indicator_history(count_indicator)
    validated, corrected, returned, _created = entries
    assert (validated["who"], validated["reason"]) == (coordinator, "validée")
    assert ("Validation", "à valider", "validée") in validated["changes"]
    assert returned["reason"] == "retournée"
    assert ("Motif du retour", "—", "Source ?") in [
        (str(label).capitalize(), before, after) for label, before, after in returned["changes"]
    ]
    assert ("Validation", "retournée", "à valider") in corrected["changes"]


def test_the_bulk_page_reads_in_as_many_queries_for_two_values_as_for_all(
    validation_on, coordinator_client, period, staff_user, count_indicator
):
    """No N+1 on the bulk page: previous values, targets and levels are read once each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url(period))
    _record_all(validation_on, period, staff_user)
    with CaptureQueriesContext(connection) as many:
        assert coordinator_client.get(url(period)).text.count('name="selection"') > 19
    assert len(many) == len(few)


def test_the_entry_grid_shows_each_rows_validation_state(
    validation_on,
    staff_client,
    count_indicator,
    percentage_indicator,
    period,
    staff_user,
    coordinator,
):
    from indicators.validation.services import measurement_validate

    validated = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    measurement_validate(measurement=validated, user=coordinator, version=1)
    measurement_record(
        indicator=percentage_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    text = staff_client.get(reverse("indicators:measurement_grid", args=[period.pk])).text
    assert text.count("entry-validation") == 2
    assert ">à valider<" in text
    assert ">validée<" in text


def test_the_ticked_values_post_back_whole_past_a_thousand(
    validation_on, coordinator_client, period, staff_user
):
    """Ids are written unlocalized: « 1 234 » (a Québec thousands space) would not post back.
    PostgreSQL's sequences pass 1 000 in the CI's browser tests, and in production in time."""
    recorded = _record_all(validation_on, period, staff_user)
    saved = next(m for m in recorded if not m.indicator.dimension_id)  # no breakdown rows
    Measurement.objects.filter(pk=saved.pk).update(id=1234)
    page = coordinator_client.get(url(period)).text
    assert 'name="selection" value="1234"' in page
    assert 'name="version-1234" value="1"' in page
    response = coordinator_client.post(
        url(period), {"validate": "1", "selection": ["1234"], "version-1234": "1"}
    )
    assert response.status_code == 302
    assert Measurement.objects.get(pk=1234).validation_state == MeasurementValidation.VALIDATED
