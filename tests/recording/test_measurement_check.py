"""services.measurement_check: every rule of a value, checked without writing, at its bounds.

Errors are keyed by meaning, whoever asks (the indicator page, the grid, a spreadsheet).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Evidence, Measurement
from indicators.recording.evidence import CheckedFile
from indicators.recording.guard import WriteConflict, period_set_locked
from indicators.recording.services import measurement_check
from indicators.rules.text_limits import (
    COMMENT_MAX_CHARS,
    EXPLANATION_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    REASON_MAX_CHARS,
)
from plan.services import plan_set_closed
from tests import codes, factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def check(indicator, period, **typed):
    typed.setdefault("status", "recorded")
    return measurement_check(indicator=indicator, period=period, **typed)


def refused(indicator, period, **typed):
    """The check's errors: {key: [(message, code)]}."""
    with pytest.raises(ValidationError) as caught:
        check(indicator, period, **typed)
    return {
        key: [(next(iter(error)), error.code) for error in errors]
        for key, errors in caught.value.error_dict.items()
    }


def messages(indicator, period, **typed):
    return {
        key: [message for message, _code in found]
        for key, found in refused(indicator, period, **typed).items()
    }


# --- What it returns, and that it writes nothing ------------------------------------------------


def test_a_valid_value_comes_back_cleaned_and_nothing_is_written(
    tools_indicator, categories, period
):
    a, b = categories[0], categories[1]
    change = check(
        tools_indicator,
        period,
        value=Decimal(999),
        breakdown={a.pk: "3", b.pk: Decimal(4)},
        narrative="Vu",
        comment="Compté",
        reason="  ",
        evidence_files=[SimpleUploadedFile("rapport.pdf", PDF)],
        evidence_links=[" https://exemple.org/rapport ", ""],
        version=0,
    )
    assert (change.value, change.breakdown) == (7, {a.pk: 3, b.pk: 4})
    assert (change.narrative, change.comment, change.reason) == ("Vu", "Compté", "")
    assert (change.existing, change.confirmation) == (None, "")
    assert [checked.content_type for checked in change.evidence_files] == ["application/pdf"]
    assert change.evidence_links == ("https://exemple.org/rapport",)
    assert not Measurement.objects.exists()
    assert not Measurement.history.exists()
    assert not Evidence.objects.exists()


def test_the_existing_row_given_by_the_caller_is_not_read_again(
    count_indicator, period, staff_user
):
    factories.measurement(count_indicator, period, staff_user, 5)
    # The caller read "no value yet" (e.g. the page, a moment ago): the check trusts it.
    change = check(count_indicator, period, value=Decimal(6), version=0, existing=None)
    assert change.existing is None
    # Not given: read here, so a reason is needed to correct it.
    assert messages(count_indicator, period, value=Decimal(6), version=1) == {
        "reason": ["Une valeur a déjà été saisie : indiquez la raison de la modification."]
    }


def test_a_file_already_checked_is_not_read_again(count_indicator, period):
    uploaded = SimpleUploadedFile("rapport.pdf", b"not a pdf")
    checked = CheckedFile(file=uploaded, content_type="application/pdf")
    change = check(count_indicator, period, value=Decimal(1), evidence_files=[checked])
    assert change.evidence_files == (checked,)


# --- The period --------------------------------------------------------------------------------


def test_a_locked_period_is_refused_under_period(count_indicator, period):
    period_set_locked(period=period, locked=True)
    found = messages(count_indicator, period, value=Decimal(3), version=0)
    assert list(found) == ["period"]
    assert "verrouillée" in found["period"][0]


def test_a_closed_plan_is_refused_under_period(count_indicator, period, plan_2018_2023):
    plan_set_closed(plan=plan_2018_2023, closed=True)
    period.refresh_from_db()
    assert "est fermé" in messages(count_indicator, period, value=Decimal(3))["period"][0]


def test_another_plans_period_is_refused_under_period(count_indicator):
    elsewhere = factories.period(factories.plan(title="Autre plan"))
    found = messages(count_indicator, elsewhere, value=Decimal(3))
    assert "n’appartient pas au plan" in found["period"][0]


# --- Status, value, breakdown, narrative, explanation ------------------------------------------


def test_an_unknown_status_is_refused_under_status(count_indicator, period):
    assert list(refused(count_indicator, period, status="maybe")) == ["status"]


def test_a_value_out_of_its_kind_is_refused_under_value(count_indicator, period):
    assert messages(count_indicator, period, value=Decimal(-1)) == {
        "value": ["Un nombre ne peut pas être négatif."]
    }
    assert messages(count_indicator, period, value=None) == {"value": ["Saisissez une valeur."]}
    assert messages(count_indicator, period, value="x") == {"value": ["Saisissez un nombre."]}


def test_a_level_is_refused_under_value_like_any_value(level_indicator, period):
    assert messages(level_indicator, period, value=Decimal(6)) == {
        "value": ["Choisissez un niveau de l’échelle (de 1 à 5)."]
    }
    assert check(level_indicator, period, value=Decimal(5)).value == 5


def test_a_wrong_category_is_named_and_carried_in_params(tools_indicator, categories, period):
    a, b = categories[0], categories[1]
    with pytest.raises(ValidationError) as caught:
        check(tools_indicator, period, breakdown={a.pk: "-1", b.pk: "2"})
    (error,) = caught.value.error_dict["breakdown"]
    assert error.params["category_id"] == a.pk
    assert error.params["problem"] == "Un nombre ne peut pas être négatif."
    assert next(iter(error)) == f"{a.name}\xa0: Un nombre ne peut pas être négatif."


def test_a_count_by_category_needs_one_known_category(tools_indicator, period):
    assert messages(tools_indicator, period, breakdown={}) == {
        "breakdown": ["Saisissez le nombre d’au moins une catégorie."]
    }
    assert messages(tools_indicator, period, breakdown={999999: "1"}) == {
        "breakdown": ["Catégorie inconnue pour cet indicateur."]
    }


def test_a_qualitative_answer_needs_its_narrative(qualitative_indicator, period):
    assert messages(qualitative_indicator, period, narrative=" ") == {
        "narrative": ["Décrivez ce qui a été observé."]
    }


def test_not_measured_needs_an_explanation_and_stores_no_value(count_indicator, period):
    assert list(refused(count_indicator, period, status="not_measured")) == ["explanation"]
    change = check(
        count_indicator, period, status="not_measured", value=Decimal(4), explanation="Annulé"
    )
    assert (change.value, change.explanation) == (None, "Annulé")


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("narrative", NARRATIVE_MAX_CHARS),
        ("explanation", EXPLANATION_MAX_CHARS),
        ("comment", COMMENT_MAX_CHARS),
        ("reason", REASON_MAX_CHARS),
    ],
)
def test_each_text_is_refused_one_character_over_its_limit(count_indicator, period, name, limit):
    assert getattr(check(count_indicator, period, value=Decimal(1), **{name: "x" * limit}), name)
    found = refused(count_indicator, period, value=Decimal(1), **{name: "x" * (limit + 1)})
    assert [code for _message, code in found[name]] == ["max_length"]


# --- The reason, the version -------------------------------------------------------------------


def test_a_correction_needs_a_reason_of_at_most_its_limit(count_indicator, period, staff_user):
    factories.measurement(count_indicator, period, staff_user, 5)
    assert list(refused(count_indicator, period, value=Decimal(6), version=1)) == ["reason"]
    exactly = "r" * REASON_MAX_CHARS
    assert check(count_indicator, period, value=Decimal(6), version=1, reason=exactly).reason
    over = refused(count_indicator, period, value=Decimal(6), version=1, reason=exactly + "r")
    assert over == {
        "reason": [
            (
                f"Assurez-vous que cette valeur comporte au plus {REASON_MAX_CHARS} caractères "
                f"(actuellement {REASON_MAX_CHARS + 1}).",
                "max_length",
            )
        ]
    }


def test_a_stale_version_raises_a_conflict_with_the_saved_value(
    count_indicator, period, staff_user
):
    saved = factories.measurement(count_indicator, period, staff_user, 5)
    with pytest.raises(WriteConflict) as conflict:
        check(count_indicator, period, value=Decimal(6), version=0, reason="Corrigé")
    assert conflict.value.current == saved
    assert check(count_indicator, period, value=Decimal(6), version=None, reason="Import")


def test_typing_errors_come_before_a_conflict(count_indicator, period, staff_user):
    factories.measurement(count_indicator, period, staff_user, 5)
    assert list(refused(count_indicator, period, value=Decimal(-6), version=0)) == ["value"]


def test_every_typing_error_comes_at_once(count_indicator, period, staff_user):
    factories.measurement(count_indicator, period, staff_user, 5)
    found = refused(
        count_indicator,
        period,
        value=Decimal(-1),
        version=1,
        comment="x" * (COMMENT_MAX_CHARS + 1),
        evidence_links=["pas une adresse"],
    )
    assert sorted(found) == ["comment", "evidence_links", "reason", "value"]


# --- Plausibility ------------------------------------------------------------------------------


def test_an_implausible_value_needs_a_confirmation_once_the_rest_is_right(
    amount_indicator, period, staff_user
):
    factories.measurement(amount_indicator, codes.period("2018-2019"), staff_user, 10)
    found = refused(amount_indicator, period, value=Decimal(31))
    assert [code for _message, code in found["value"]] == ["implausible"]
    # A typing error elsewhere is reported alone: plausibility waits for the rest.
    assert list(refused(amount_indicator, period, value=Decimal(31), comment="x" * 3000)) == [
        "comment"
    ]
    change = check(amount_indicator, period, value=Decimal(31), confirmed=True)
    assert change.confirmation.startswith("Valeur confirmée malgré le contrôle")


# --- Evidence ----------------------------------------------------------------------------------


def test_evidence_files_are_checked_on_their_content(count_indicator, period):
    found = refused(
        count_indicator,
        period,
        value=Decimal(1),
        evidence_files=[
            SimpleUploadedFile("faux.pdf", b"MZ\x90\x00"),
            SimpleUploadedFile("script.exe", b"MZ"),
        ],
    )
    assert [code for _message, code in found["evidence_files"]] == [
        "content_mismatch",
        "forbidden_type",
    ]


def test_evidence_links_must_be_web_addresses(count_indicator, period):
    found = messages(
        count_indicator,
        period,
        value=Decimal(1),
        evidence_links=["https://exemple.org", "javascript:alert(1)", "https://" + "a" * 500],
    )
    assert len(found["evidence_links"]) == 2
    assert "« javascript:alert(1) » n’est pas une adresse Web valide" in found["evidence_links"][0]
