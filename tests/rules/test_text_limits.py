"""Every free text has one limit, the same in the form, the import and the database.

Run these on PostgreSQL too: SQLite does not enforce varchar lengths (simple_history's
`history_change_reason` is a varchar(100)), PostgreSQL does.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from indicators.models import Measurement, StrategyProgress, StrategyState
from indicators.recording.services import measurement_record
from indicators.rules.text_limits import (
    COMMENT_MAX_CHARS,
    EXPLANATION_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    NOTE_MAX_CHARS,
    REASON_MAX_CHARS,
)
from tests import codes


def too_long_message(limit):
    return f"au plus {limit} caractères (actuellement {limit + 1})"


def post(client, indicator, **data):
    data.setdefault("status", "recorded")
    data.setdefault("version", 0)
    return client.post(indicator.get_absolute_url(), data)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("narrative", NARRATIVE_MAX_CHARS),
        ("comment", COMMENT_MAX_CHARS),
    ],
)
def test_form_refuses_a_text_over_its_limit_and_keeps_it(
    staff_client, count_indicator, period, field, limit
):
    typed = "é" * (limit + 1)
    response = post(staff_client, count_indicator, period=period.pk, value="3", **{field: typed})
    assert response.status_code == 200
    assert too_long_message(limit) in response.context["form"].errors[field][0]
    assert typed in response.content.decode()
    assert not Measurement.objects.exists()


def test_form_refuses_a_long_explanation(staff_client, count_indicator, period):
    typed = "x" * (EXPLANATION_MAX_CHARS + 1)
    response = post(
        staff_client, count_indicator, period=period.pk, status="not_measured", explanation=typed
    )
    assert response.status_code == 200
    assert (
        too_long_message(EXPLANATION_MAX_CHARS) in response.context["form"].errors["explanation"][0]
    )


def test_a_correction_reason_of_101_characters_is_refused_and_100_is_kept(
    staff_client, staff_user, count_indicator, period
):
    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=3, version=0
    )
    long_reason = "r" * (REASON_MAX_CHARS + 1)
    refused = post(
        staff_client, count_indicator, period=period.pk, value="4", version=1, reason=long_reason
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "au plus 100 caractères" in page  # the help text says so before any error
    assert long_reason in page
    assert Measurement.objects.get().value == 3

    reason = "r" * REASON_MAX_CHARS
    saved = post(
        staff_client, count_indicator, period=period.pk, value="4", version=1, reason=reason
    )
    assert saved.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == 4
    assert measurement.history.first().history_change_reason == reason


def test_the_service_refuses_a_long_reason_before_any_write(staff_user, count_indicator, period):
    with pytest.raises(ValidationError) as refused:
        measurement_record(
            indicator=count_indicator,
            period=period,
            user=staff_user,
            value=3,
            reason="r" * (REASON_MAX_CHARS + 1),
            version=0,
        )
    assert too_long_message(REASON_MAX_CHARS) in refused.value.message_dict["reason"][0]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("column", "limit"),
    [
        ("comment", COMMENT_MAX_CHARS),
        ("narrative", NARRATIVE_MAX_CHARS),
        ("reason", REASON_MAX_CHARS),
    ],
)
def test_import_refuses_a_text_over_its_limit_on_its_row(
    staff_client, count_indicator, period, column, limit
):
    code = f"{count_indicator.result.number}.{count_indicator.order}"
    content = f"code;period;status;value;{column}\r\n{code};{period.name};recorded;3;"
    content += "x" * (limit + 1) + "\r\n"
    response = staff_client.post(
        "/saisie/import/", {"file": SimpleUploadedFile("valeurs.csv", content.encode())}
    )
    assert response.status_code == 200
    [row] = response.context["preview"].rows
    assert any(too_long_message(limit) in error for error in row.errors), row.errors
    assert 'name="token"' not in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("narrative", NARRATIVE_MAX_CHARS),
        ("explanation", EXPLANATION_MAX_CHARS),
        ("comment", COMMENT_MAX_CHARS),
    ],
)
def test_the_database_refuses_a_measurement_text_over_its_limit(
    staff_user, count_indicator, period, field, limit
):
    measurement = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=3, version=0
    )
    setattr(measurement, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        measurement.full_clean()
    assert set(refused.value.message_dict) == {field}
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=measurement.pk).update(**{field: "x" * (limit + 1)})
    Measurement.objects.filter(pk=measurement.pk).update(**{field: "x" * limit})


def test_strategy_note_has_the_same_limit_in_form_and_database(
    staff_client, staff_user, plan_2018_2023, period
):
    strategy = codes.strategy("1.1")
    url = reverse("indicators:strategyprogress_new", args=[strategy.pk])
    typed = "n" * (NOTE_MAX_CHARS + 1)
    response = staff_client.post(
        url, {"period": period.pk, "state": StrategyState.IN_PROGRESS, "note": typed}
    )
    assert response.status_code == 200
    assert too_long_message(NOTE_MAX_CHARS) in response.content.decode()
    assert typed in response.content.decode()
    assert not StrategyProgress.objects.exists()

    staff_client.post(url, {"period": period.pk, "state": StrategyState.DONE, "note": "ok"})
    progress = StrategyProgress.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyProgress.objects.filter(pk=progress.pk).update(note=typed)
