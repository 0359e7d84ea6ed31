from django import template
from django.utils.translation import gettext

from indicators import charts
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
def sparkline(row):
    """The small chart of a dashboard row (a progress.BoardIndicator) and its hidden table."""
    title = gettext("Trend of the values against the targets: %(indicator)s") % {
        "indicator": row.indicator.wording
    }
    caption = gettext("Values and targets by period: %(indicator)s") % {
        "indicator": row.indicator.wording
    }
    return charts.sparkline(row.points, title=title) + charts.hidden_table(row.points, caption)
