from django import template

from indicators import charts
from indicators.board import sparklines
from indicators.models import strategy_state_label

register = template.Library()


@register.filter
def fr_number(value):
    """1 234,5: a French number without useless decimals."""
    return charts.format_number(value)


@register.filter
def fr_percent(value):
    return charts.format_percent(value)


@register.filter
def strategy_state(state):
    """The French word of a strategy's state ("pas commencée", "en cours"…)."""
    return strategy_state_label(state)


@register.simple_tag
def sparkline(row, period=None):
    """The compact chart of a dashboard row (a progress.BoardIndicator), up to `period`."""
    return sparklines.compact_sparkline(row.points, upto=period.name if period else None)
