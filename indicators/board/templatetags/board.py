from decimal import Decimal

from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext

from indicators.charts import sparkline as sparklines
from indicators.models import Indicator
from indicators.rules import formatting
from indicators.rules.kinds import kind_of

register = template.Library()


@register.filter
def fr_number(value):
    """1 234,5: a number in the active language without useless decimals (or "—")."""
    return formatting.format_number(value)


@register.filter
def fr_percent(value):
    """95,9 %: a progress percentage, to one decimal."""
    return formatting.format_percent(value)


@register.filter
def status_list(statuses):
    """« donnée manquante, non mesuré et sans cible » from [(status, label)]."""
    return get_text_list([str(label) for _status, label in statuses], gettext("and"))


@register.simple_tag
def value_in_kind(
    indicator: Indicator, value: Decimal | None, levels_by_indicator: dict | None = None
) -> str:
    """A value in its indicator's kind ("12 outils", "3 – Intégration"), from fetched levels.

    `levels_by_indicator`: {indicator pk: [level]} (each with .value and .label), as
    data.PlanData holds them.
    """
    levels = (levels_by_indicator or {}).get(indicator.pk, [])
    pairs = [(level.value, level.label) for level in levels]
    return kind_of(indicator).value_text(indicator, value, levels=pairs)


@register.simple_tag
def sparkline(row, period=None):
    """The compact chart of a dashboard row (a viewmodels.BoardIndicator), up to `period`."""
    return sparklines.compact_sparkline(
        row.points, upto=period.name if period else None, earlier=row.earlier
    )
