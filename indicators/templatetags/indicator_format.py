"""Template filters over rules/formatting.py and the kinds: "1 234,5", "12,5 %", levels.

Thin wrappers: the rules live in the formatter and in each kind. They work on data the view
already fetched (a level indicator's page prefetches its scale).
"""

from typing import Any

from django import template

from indicators.models import strategy_state_label
from indicators.rules import formatting
from indicators.rules.kinds import kind_of

register = template.Library()


@register.filter
def decimal_fr(value: Any) -> str:
    """A number in the active language without useless zeros: 1234.50 → "1 234,5"."""
    if value is None or value == "":
        return ""
    return formatting.format_number(value)


@register.filter
def or_empty(value: Any) -> str:
    """The text, or the empty value ("—") when there is none."""
    return formatting.Formatter.text(value)


@register.simple_tag
def empty_value() -> str:
    """The empty value ("—"), the same on every page."""
    return formatting.EMPTY


@register.filter
def value_in_kind(value: Any, indicator: Any) -> str:
    """A value in the indicator's kind: {{ target.value|value_in_kind:indicator }} → "12,5 %"."""
    return kind_of(indicator).value_text(indicator, value)


@register.filter
def measurement_display(measurement: Any, indicator: Any = None) -> str:
    """The current answer of a measurement, as one short text (the kind's answer_text)."""
    if measurement is None:
        return ""
    indicator = indicator or measurement.indicator
    return kind_of(indicator).answer_text(measurement, indicator)


@register.filter
def strategy_state(state: str | None) -> str:
    """The word of a strategy's state ("pas commencée", "en cours"…)."""
    return str(strategy_state_label(state))
