"""What the board reads beside a status: the story, the value in words, direction and baseline.

Pure functions over an already-built row (viewmodels.BoardIndicator): no query. The words are
those of the dashboard, the report, the XLSX and the frozen meeting packs alike:
- the story is the narrative staff wrote for the period, or the reason it was not measured;
- a level reads « niveau 3 – Expérimentation » and its target « cible 4 – Consolidation »,
  never a percentage (an ordinal scale has no "share of the way");
- a cumulative value is labelled « cumul », beside the period's own value.
"""

from django.utils.translation import gettext, pgettext

from indicators.models import Direction, MeasurementStatus
from indicators.rules.formatting import EMPTY

SNIPPET_LENGTH = 140


def snippet(text, length=SNIPPET_LENGTH):
    """`text` on one line, cut to `length` characters with « … » when longer."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def story_of(assessment):
    """The narrative of the measurement behind `assessment`, or its "not measured" reason."""
    measurement = assessment.measurement
    if measurement is None:
        return ""
    if measurement.status == MeasurementStatus.NOT_MEASURED:
        return (measurement.explanation or "").strip()
    return (measurement.narrative or "").strip()


def _amount(row, value):
    """A value in its kind's words (« 12 outils », « 3 – Expérimentation »)."""
    return row.indicator.kind_spec.value_text(row.indicator, value, levels=row.levels)


def value_phrase(row):
    value = row.assessment.value
    if value is None:
        return EMPTY
    if row.levels:
        return pgettext("level value", "level %(level)s") % {"level": _amount(row, value)}
    text = _amount(row, value)
    if row.indicator.is_cumulative:
        text = pgettext("cumulative value", "%(value)s (cumulative)") % {"value": text}
    return text


def target_phrase(row):
    target = row.assessment.target
    if target is None:
        return ""
    return pgettext("target of a value", "target %(target)s") % {"target": _amount(row, target)}


def period_value_text(row):
    """« 150 outils en 2022-2023 » for a cumulative indicator; empty otherwise."""
    measurement = row.assessment.measurement
    if (
        not row.indicator.is_cumulative
        or measurement is None
        or measurement.value is None
        or row.assessment.period is None
    ):
        return ""
    return gettext("%(value)s in %(period)s") % {
        "value": _amount(row, measurement.value),
        "period": row.assessment.period.name,
    }


def direction_arrow(indicator):
    return "↓" if indicator.direction == Direction.DECREASE else "↑"


def direction_words(indicator):
    """The arrow's meaning, for screen readers and for the printed page."""
    if indicator.direction == Direction.DECREASE:
        return gettext("lower is better")
    return gettext("higher is better")


def baseline_text(row):
    """« départ : 12 outils », or empty when the indicator has no baseline."""
    baseline = row.indicator.baseline_value
    if baseline is None:
        return ""
    return gettext("baseline: %(value)s") % {"value": _amount(row, baseline)}
