"""One rule for a measured number (numbers.parse_number): the form and the import apply it.

Finite, at most 14 digits, at most 2 decimals: exactly what the form's former
`DecimalField(max_digits=14, decimal_places=2)` accepted, checked without arithmetic.
"""

import html
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators.rules.numbers import NumberField, parse_number
from tests.security.hostile_files import HUGE_NUMBERS

TOO_LARGE = "Ce nombre est trop grand."
NOT_A_NUMBER = "Saisissez un nombre (des chiffres seulement, par exemple 12 ou 12,5)."
DECIMALS = "Utilisez au plus deux décimales."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", Decimal("12")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1 234,56", Decimal("1234.56")),
        ("1\xa0234", Decimal("1234")),
        ("999999999999,99", Decimal("999999999999.99")),  # 14 digits, 2 decimals: the edge
        ("-3", Decimal("-3")),  # the sign is the kind's business (a count refuses it)
        ("", None),
        ("  ", None),
    ],
)
def test_numbers_within_the_rule_are_read(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9999999999999", TOO_LARGE),  # 13 whole digits
        ("9" * 30, TOO_LARGE),
        ("1e6000000", TOO_LARGE),
        ("1e999999999", TOO_LARGE),
        ("1E+400", TOO_LARGE),
        ("1" + "0" * 5000, TOO_LARGE),
        ("0,001", DECIMALS),
        ("1e-999999999", DECIMALS),
        ("NaN", NOT_A_NUMBER),
        ("sNaN", NOT_A_NUMBER),
        ("Infinity", NOT_A_NUMBER),
        ("-Infinity", NOT_A_NUMBER),
        ("douze", NOT_A_NUMBER),
        ("1,2,3", NOT_A_NUMBER),
    ],
)
def test_numbers_outside_the_rule_are_refused_in_french(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_number(text)
    assert refused.value.messages == [message]


def django_decimal_verdict(text):
    """What the form's former field (Django's DecimalField, 14 digits, 2 decimals) said."""
    field = forms.DecimalField(max_digits=14, decimal_places=2, localize=True)
    try:
        return field.clean(text)
    except ValidationError:
        return "refused"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.decimals(min_value=-(10**13), max_value=10**13, places=2),
        st.decimals(min_value=-(10**13), max_value=10**13, places=3),
        st.integers(min_value=-(10**16), max_value=10**16).map(Decimal),
    ),
    comma=st.booleans(),
)
@example(number=Decimal("1e6000000"), comma=False)
@example(number=Decimal("999999999999.99"), comma=True)
def test_the_rule_is_exactly_the_former_form_field(number, comma):
    """Same verdict (and value) as Django's DecimalField(max_digits=14, decimal_places=2)."""
    text = str(number).replace(".", ",") if comma else str(number)
    try:
        ours = NumberField().clean(text)
    except ValidationError:
        ours = "refused"
    assert ours == django_decimal_verdict(text)
    # The import reads the same text with the same verdict.
    try:
        imported = parse_number(text)
    except ValidationError:
        imported = "refused"
    assert imported == ours


# --- The count-by-category form shown again with its errors ------------------------------------


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1E+400", "9" * 30, *HUGE_NUMBERS[:2]])
def test_count_by_category_form_shows_bad_numbers_again_in_french(
    staff_client, tools_indicator, period, categories, typed
):
    response = staff_client.post(
        tools_indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            f"cat_{categories[0].pk}": typed,
            f"cat_{categories[1].pk}": "4",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[f"cat_{categories[0].pk}"]
    assert errors in ([TOO_LARGE], [NOT_A_NUMBER])
    page = html.unescape(response.content.decode())
    assert f'value="{typed}"' in page  # what was typed is kept
    assert response.context["form"].derived_total() is None  # "?" instead of a total
