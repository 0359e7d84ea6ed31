"""What the entry grid's templates write for one row, computed once in Python.

A row's inputs are written by hand in small templates (templates/indicators/grid/); the
values they print (names, ids, typed or saved values, errors, length limits, texts of the
previous value and the target) are read here from the row's MeasurementForm, so that the
templates print plain attributes and a large grid renders fast. The attributes that depend on
the cell (class, name, id, labels, error state) are escaped once here into `Cell.attrs`, and
an error's paragraph into `Cell.feedback`: a row's template looks up few variables per input.
"""

from dataclasses import dataclass, field
from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop

from indicators.rules.formatting import EMPTY, Formatter
from indicators.rules.kinds import kind_of

INPUT = "form-control form-control-sm"
GROWING = "form-control form-control-sm entry-grow"
SELECT = "form-select form-select-sm"


@dataclass
class Cell:
    """One input of a row."""

    name: str  # the POST name (prefixed)
    id: str
    value: Any
    errors: list = field(default_factory=list)
    label: str = ""
    maxlength: str = ""  # of a text, as the service's limit
    attrs: str = ""  # class, name, id, labels and error state, escaped (see dress)
    feedback: str = ""  # the error's paragraph, escaped, or ""


@dataclass
class RowView:
    """Everything a row's templates print."""

    pk: str  # never a localized number in names and ids
    code: str
    wording: str
    header_id: str
    url: str
    detail_url: str
    version: str
    previous: str
    target: str
    value: Cell | None
    levels: list
    categories: list
    total: str
    status: Cell
    not_measured: bool
    explanation: Cell
    story: Cell
    reason: Cell | None
    confirm: Cell | None
    errors: list
    css: str = ""  # the row's classes: is-failed, is-saved, has-value, is-changed
    state_text: str = ""  # the row's state after a save, or the badge of what is saved
    state_badge: str = ""  # the badge's colour (text-bg-…) when no save happened
    state_css: str = ""  # the state's colour after a save
    validation: tuple | None = None  # (text, badge classes) of the validation step
    category_inputs: str = ""  # the categories' labelled inputs, escaped


def cell(form, name):
    """The Cell of the form's field `name`: what was typed, else the saved value as shown."""
    bound = form[name]
    value = bound.value()
    if not form.is_bound and isinstance(bound.field.widget, forms.TextInput):
        value = bound.field.widget.format_value(bound.field.prepare_value(value))
    return Cell(
        name=bound.html_name,
        id=bound.auto_id,
        value="" if value is None else value,
        errors=list(bound.errors) if form.is_bound else [],
        label=bound.label,
        maxlength=str(bound.field.widget.attrs.get("maxlength", "")),
    )


def dress(item, *, css, labelledby="", described="", data_cell=""):
    """Set the cell's `attrs` (class, name, id, aria labels, error state, data-cell) and
    `feedback`; `described`: an id describing the input besides its error. Each text is
    escaped once, with the standard library's escape (Django's wraps it for lazy texts)."""
    attrs = [f'class="{css}{" is-invalid" if item.errors else ""}"']
    attrs.append(f' name="{escape(item.name)}" id="{escape(item.id)}"')
    if labelledby:
        attrs.append(f' aria-labelledby="{escape(labelledby)}"')
    if item.errors:
        described = f"{described} {item.id}-error".strip()
        errors = escape(" ".join(str(error) for error in item.errors))
        item.feedback = SafeString(
            f'<p class="invalid-feedback d-block mb-0" id="{escape(item.id)}-error">{errors}</p>'
        )
    if described:
        attrs.append(f' aria-describedby="{escape(described)}"')
    if item.errors:
        attrs.append(' aria-invalid="true"')
    if data_cell:
        attrs.append(f' data-cell="{data_cell}"')
    item.attrs = SafeString("".join(attrs))
    return item


def _levels(form, value):
    if "level" not in form.fields:
        return []
    chosen = str(value.value) if value is not None else ""
    return [(str(key), label, str(key) == chosen) for key, label in form.fields["level"].choices]


def _facts(row, fmt):
    """(previous, target) as short texts."""
    indicator, kind = row.indicator, kind_of(row.indicator)
    previous = (
        Truncator(kind.answer_text(row.previous, indicator, fmt=fmt)).chars(40)
        if row.previous is not None
        else EMPTY
    )
    target = (
        kind.value_text(indicator, row.target.value, fmt=fmt) if row.target is not None else EMPTY
    )
    return previous, target


def _total(row, form, fmt):
    """The breakdown's total: of what was typed, else of what is saved (read, not parsed)."""
    if form.is_bound:
        total = form.derived_total()
    elif row.measurement is None:
        total = 0
    else:
        items = row.measurement.breakdowns.all()
        total = sum(
            item.value
            for item in items
            if item.value is not None and f"cat_{item.category_id}" in form.fields
        )
    return "?" if total is None else fmt.number(total) or "0"


def _value_cell(row, form, header):
    """The cell of the kind's value (number, level or narrative), dressed; None for a count
    by category (its total is derived)."""
    indicator = row.indicator
    if indicator.is_qualitative:
        narrative = cell(form, "narrative")
        return dress(narrative, css=GROWING, labelledby=f"{header} col-value", data_cell="0")
    names = [name for name in ("value", "level") if name in form.fields]
    if not names:
        return None
    value = cell(form, names[0])
    unit = f"{value.id}-unit" if indicator.unit and names[0] == "value" else ""
    css = SELECT if names[0] == "level" else INPUT
    return dress(value, css=css, labelledby=f"{header} col-value", described=unit, data_cell="0")


def _categories(form, header):
    names = [name for name in form.fields if name.startswith("cat_")]
    return [
        dress(
            cell(form, name),
            css=INPUT,
            labelledby=f"{header} {form[name].auto_id}-label",
            data_cell=f"0.{number:03d}",
        )
        for number, name in enumerate(names, start=1)
    ]


# A row's state after a save (grid.STATE_*), in the person's words.
STATE_TEXTS = {
    "saved": gettext_noop("saved"),
    "conflict": gettext_noop("not saved: changed by someone else"),
    "reason": gettext_noop("not saved: give the reason for the change"),
    "confirm": gettext_noop("not saved: confirm the value"),
    "error": gettext_noop("not saved: see the errors in the row"),
}
# What is saved now (GridRow.status_state): the badge's text and colour.
STATUS_BADGES = {
    "recorded": (gettext_noop("recorded"), "text-bg-success"),
    "not_measured": (gettext_noop("not measured"), "text-bg-secondary"),
    "missing": (gettext_noop("missing"), "text-bg-warning"),
}


def _state(row):
    """The row's classes, its state (text, badge colour or colour after a save) and the
    badge of its validation step."""
    if row.state in STATE_TEXTS:
        text, badge = gettext(STATE_TEXTS[row.state]), ""
    else:
        text, badge = STATUS_BADGES[row.status_state]
        text = gettext(text)
    measurement = row.measurement
    css = [
        name
        for name, wanted in (
            ("is-failed", row.failed),
            ("is-saved", row.state == "saved"),
            ("has-value", measurement is not None),
            ("is-changed", row.needs_reason()),
        )
        if wanted
    ]
    validation = None
    if measurement is not None and (measurement.is_unvalidated or measurement.is_validated):
        validation = (
            measurement.get_validation_state_display(),
            "text-bg-warning" if measurement.is_unvalidated else "text-bg-light border",
        )
    return {
        "css": " ".join(css),
        "state_text": text,
        "state_badge": badge,
        "state_css": "text-danger"
        if row.failed
        else "text-success"
        if row.state == "saved"
        else "",
        "validation": validation,
    }


CATEGORY_INPUT = (
    '<div class="entry-cat"><span class="small" id="{id}-label">{label}</span>'
    '<input type="text" inputmode="decimal" autocomplete="off" {attrs} value="{value}"'
    ' data-breakdown="1">{feedback}</div>\n'
)


def category_inputs(cells):
    """The inputs of a count by category, written here: one template variable instead of
    five per category (a row of 17 categories was most of a page's rendering)."""
    return SafeString(
        "".join(
            CATEGORY_INPUT.format(
                id=escape(item.id),
                label=escape(str(item.label)),
                attrs=item.attrs,
                value=escape(str(item.value)),
                feedback=item.feedback,
            )
            for item in cells
        )
    )


def grid_texts():
    """The rows' fixed words in the active language, translated once per page rather than
    once per row (passed to the row's template as `t`)."""
    return {
        "mine": gettext("mine"),
        "previous": gettext("Previous:"),
        "target": gettext("Target:"),
        "confirm": gettext("I confirm this value"),
        "reason": gettext("Reason for the change"),
        "not_measured": gettext("Not measured"),
        "explanation": gettext("Explanation"),
        "why": gettext("Why?"),
        "story": gettext("Story"),
        "in_value": gettext("in the value"),
        "history": gettext("Evidence and history"),
    }


def _texts(row, form, header):
    """The row's texts: status, explanation, story, reason and confirmation cells, dressed."""
    explanation = cell(form, "explanation")
    return {
        "status": cell(form, "status"),
        "explanation": dress(
            explanation, css=GROWING, labelledby=f"{header} {explanation.id}-label"
        ),
        "story": dress(cell(form, "narrative"), css=GROWING, labelledby=f"{header} col-story"),
        "reason": dress(cell(form, "reason"), css=INPUT) if row.measurement is not None else None,
        "confirm": cell(form, "confirmed") if form.needs_confirmation() else None,
    }


def row_view(row, *, urls, fmt=None) -> RowView:
    """The RowView of `row` (its form built); `urls`: (row URL, indicator URL) with « 0 »
    for the indicator's id, reversed once for the page; `fmt`: the page's Formatter."""
    form, indicator, header = row.form, row.indicator, row.header_id
    fmt = fmt or Formatter.active()
    value = _value_cell(row, form, header)
    previous, target = _facts(row, fmt)
    categories = _categories(form, header)
    return RowView(
        pk=str(indicator.pk),
        code=indicator.code,
        wording=Truncator(indicator.wording).words(14),
        header_id=header,
        url=f"{urls[0][:-2]}{indicator.pk}/",
        detail_url=f"{urls[1][:-2]}{indicator.pk}/",
        version=str(form["version"].value() or 0),
        previous=previous,
        target=target,
        value=value,
        levels=_levels(form, value),
        categories=categories,
        total=_total(row, form, fmt) if categories else "",
        category_inputs=category_inputs(categories),
        not_measured=row.not_measured(),
        errors=list(form.non_field_errors()) + list(form["period"].errors),
        **_state(row),
        **_texts(row, form, header),
    )
