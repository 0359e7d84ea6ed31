from decimal import Decimal

from django import template
from django.utils.translation import gettext

from indicators import charts, formatting
from indicators.kinds import kind_of
from indicators.models import Indicator, strategy_state_label

register = template.Library()


@register.filter
def fr_number(value):
    """1 234,5: a number in the active language without useless decimals (or "—")."""
    return formatting.format_number(value)


@register.filter
def or_empty(value):
    """The text, or the empty value ("—") when there is none."""
    return formatting.Formatter.text(value)


@register.simple_tag
def empty_value():
    """The empty value ("—"), the same on every page."""
    return formatting.EMPTY


@register.filter
def fr_percent(value):
    """95,9 %: a progress percentage, to one decimal."""
    return formatting.format_percent(value)


@register.simple_tag
def value_in_kind(
    indicator: Indicator, value: Decimal | None, levels_by_indicator: dict | None = None
) -> str:
    """A value in its indicator's kind ("12 outils", "3 – Intégration"), from fetched levels.

    `levels_by_indicator`: {indicator pk: [ScaleLevel]}, as progress.PlanData holds them.
    """
    levels = (levels_by_indicator or {}).get(indicator.pk, [])
    pairs = [(level.value, level.label) for level in levels]
    return kind_of(indicator).value_text(indicator, value, levels=pairs)


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
