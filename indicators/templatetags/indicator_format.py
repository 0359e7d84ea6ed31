"""French (fr-CA) display of measured values: "1 234,5", "12,5 %", "1 234,50 $", levels."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators.models import MeasureKind, MeasurementStatus

register = template.Library()

NBSP = "\xa0"


@register.filter
def decimal_fr(value):
    """A number in the current locale without useless trailing zeros: 1234.50 → "1 234,5"."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number, use_l10n=True, force_grouping=True)


def format_value(indicator, value):
    """A value in the indicator's kind, for people: "12,5 %", "1 234,50 $", "3 – Intégration"."""
    if value is None:
        return "—"
    kind = indicator.kind
    if kind == MeasureKind.PERCENTAGE:
        return f"{decimal_fr(value)}{NBSP}%"
    if kind == MeasureKind.AMOUNT:
        amount = number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
        return f"{amount}{NBSP}$"
    if kind == MeasureKind.LEVEL:
        for level in indicator.levels.all():
            if level.value == value:
                return f"{level.value} – {level.label}"
    return decimal_fr(value)


@register.filter
def value_in_kind(value, indicator):
    """Template form of format_value: {{ target.value|value_in_kind:indicator }}."""
    return format_value(indicator, value)


def format_measurement(measurement, indicator=None):
    """The current answer of a measurement, as one short French text."""
    indicator = indicator or measurement.indicator
    if measurement.status == MeasurementStatus.NOT_MEASURED:
        return _("not measured / not applicable")
    if indicator.kind == MeasureKind.QUALITATIVE:
        return measurement.narrative
    return format_value(indicator, measurement.value)


@register.filter
def measurement_display(measurement, indicator=None):
    """{{ measurement|measurement_display:indicator }}."""
    if measurement is None:
        return ""
    return format_measurement(measurement, indicator)
