"""The one rule for a measured number, typed in the form or read from an imported file.

A number is finite, has at most 14 digits of which at most 2 decimals (the columns are
`DecimalField(max_digits=14, decimal_places=2)`). The check reads the digits and the exponent
of the parsed Decimal and never computes with the number, so `1e999999999` is refused at
once instead of keeping a worker busy.
"""

from decimal import Decimal, DecimalException

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 14
DECIMAL_PLACES = 2
# Longer texts are not read as numbers at all (a number within the rule has at most
# 14 digits, a sign, a decimal separator and thousands separators).
MAX_NUMBER_CHARS = 40

NUMBER_ERRORS = {
    "invalid": _("Enter a number (digits only, for example 12 or 12,5)."),
    "max_digits": _("This number is too large."),
    "max_decimal_places": _("Use at most two decimals."),
}


def parse_number(text, *, percent=False):
    """`text` → Decimal within the rule, None for an empty text, else ValidationError.

    Spaces (also non-breaking ones) are thousands separators and a comma is the decimal
    separator, as a French spreadsheet writes them; a point is accepted too. With `percent`
    (a percentage's cell), one trailing « % » is accepted, as Excel in French saves
    « 12,5 % »; a « % » alone is not a number.
    """
    if text is None:
        return None
    text = str(text).strip()
    for space in ("\xa0", "\u202f", " "):
        text = text.replace(space, "")
    if not text:
        return None
    if percent and text.endswith("%"):
        text = text[:-1]
        if not text:
            raise ValidationError(NUMBER_ERRORS["invalid"], code="invalid")
    if len(text) > MAX_NUMBER_CHARS:
        code = "max_digits" if text.lstrip("+-").replace(",", "").isdigit() else "invalid"
        raise ValidationError(NUMBER_ERRORS[code], code=code)
    try:
        number = Decimal(text.replace(",", ".", 1) if text.count(",") == 1 else text)
    except (DecimalException, ValueError):
        raise ValidationError(NUMBER_ERRORS["invalid"], code="invalid") from None
    if not number.is_finite():
        raise ValidationError(NUMBER_ERRORS["invalid"], code="invalid")
    digits, exponent = number.as_tuple()[1:]
    if exponent >= 0:
        whole, decimals = (0 if digits == (0,) else len(digits) + exponent), 0
    else:
        decimals = -exponent
        whole = max(len(digits) - decimals, 0)
    if decimals > DECIMAL_PLACES:
        raise ValidationError(NUMBER_ERRORS["max_decimal_places"], code="max_decimal_places")
    if whole > MAX_DIGITS - DECIMAL_PLACES:
        raise ValidationError(NUMBER_ERRORS["max_digits"], code="max_digits")
    return number


class NumberField(forms.Field):
    """A form field for a measured number, shown and read in the current language."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        """Phones show their digit keypad (with the decimal separator) for every number."""
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["inputmode"] = "decimal"
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        if self.localize:
            text = formats.sanitize_separators(text)
        return parse_number(text)
