"""What a group of imported rows (one indicator, one period) changes in its saved value.

`group_texts` reads the texts that the rows of a group repeat (a count by category has one
row per category, each repeating the story, the comment…); `value_changes` compares the
group with the saved value, column by column, and puts each change, old → new, on the row
that holds it. No change: nothing to write.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from indicators.models import MeasurementStatus
from indicators.rules.formatting import EMPTY, Formatter
from indicators.rules.kinds import kind_of
from indicators.spreadsheets.values_export import COLUMNS

# The texts of a value, kept as they are; the reason is never saved on the value itself.
TEXTS = ("narrative", "explanation", "comment")
SHOWN_CHARS = 60


@dataclass(frozen=True)
class Change:
    """One column of a value, before and after the import, as people read them."""

    column: str
    old: str
    new: str


def _label(key):
    return str(dict(COLUMNS)[key])


def _group_text(group, key, saved):
    """The text of column `key` for the group, whose rows repeat it.

    A row whose cell differs from the saved text (and is not empty) holds the edit, whichever
    row it is; two different edits are refused. Without an edit, an empty cell on the first
    row clears the text (as a single row would)."""
    edits = {}
    for row in group:
        text = row.data.get(key) or ""
        if text and text != saved:
            edits.setdefault(text, row)
    if len(edits) > 1:
        first, second = list(edits.values())[:2]
        second.errors.append(
            _("%(column)s: line %(line)s gives another text for the same value.")
            % {"column": _label(key), "line": first.line}
        )
        return None
    if edits:
        return next(iter(edits))
    return "" if not (group[0].data.get(key) or "") else saved


def group_texts(group, existing):
    """{"narrative", "explanation", "comment", "reason": text} of the group (errors on its
    rows when two rows disagree)."""
    texts = {key: _group_text(group, key, getattr(existing, key, "")) for key in TEXTS}
    texts["reason"] = _group_text(group, "reason", "")
    return texts


def _shown(text):
    return Truncator(text).chars(SHOWN_CHARS) if text else EMPTY


def _value_change(indicator, existing, values):
    """The change of status and value (a breakdown's value is its total), or none."""
    breakdown = values["breakdown"]
    value = sum(breakdown.values(), Decimal(0)) if breakdown else values["value"]
    old_status = existing.status if existing else ""
    old_value = existing.value if existing else None
    changes = []
    if old_status != values["status"]:
        old = MeasurementStatus(old_status).label if old_status else EMPTY
        new = MeasurementStatus(values["status"]).label
        changes.append(Change(_label("status"), str(old), str(new)))
    if old_value != value:
        kind = kind_of(indicator)
        old = kind.value_text(indicator, old_value) if old_value is not None else EMPTY
        new = kind.value_text(indicator, value) if value is not None else EMPTY
        changes.append(Change(_label("value"), old, new))
    return changes


def _category_changes(indicator, existing, breakdown, rows_by_field, first):
    """[(row, change)] of each category whose count changes, on that category's row."""
    saved = {item.category_id: item.value for item in existing.breakdowns.all()} if existing else {}
    if not indicator.dimension or saved == breakdown:
        return []
    fmt = Formatter.active()
    return [
        (
            rows_by_field.get(f"cat_{category.pk}", first),
            Change(category.name, fmt.number(saved.get(category.pk)), fmt.number(new)),
        )
        for category in indicator.dimension.categories.all()
        if saved.get(category.pk) != (new := breakdown.get(category.pk))
    ]


def value_changes(indicator, existing, values, rows_by_field, group):
    """Put each change of the group, old → new, on its row; whether there is any."""
    first = group[0]
    changes = [(first, change) for change in _value_change(indicator, existing, values)]
    changes += _category_changes(indicator, existing, values["breakdown"], rows_by_field, first)
    for key in TEXTS:
        old = getattr(existing, key) if existing else ""
        if old != values[key]:
            changes.append((first, Change(_label(key), _shown(old), _shown(values[key]))))
    for row, change in changes:
        row.changes.append(change)
    return bool(changes)
