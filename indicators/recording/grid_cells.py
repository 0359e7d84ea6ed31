"""What the entry grid's templates write for one row, computed once in Python.

A row's inputs are written by hand in small templates (templates/indicators/grid/); the
values they print (names, ids, typed or saved values, errors, length limits, texts of the
previous value and the target) are read here from the row's MeasurementForm, so that the
templates print plain attributes and a large grid renders fast.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.text import Truncator

from indicators.rules.formatting import EMPTY, Formatter
from indicators.rules.kinds import kind_of


@dataclass
class Cell:
    """One input of a row."""

    name: str  # the POST name (prefixed)
    id: str
    value: Any
    errors: list = field(default_factory=list)
    label: str = ""
    maxlength: str = ""  # of a text, as the service's limit


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
        errors=list(bound.errors),
        label=str(bound.label),
        maxlength=str(bound.field.widget.attrs.get("maxlength", "")),
    )


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


def _total(form):
    total = form.derived_total()
    return "?" if total is None else Formatter.active().number(total) or "0"


def row_view(row, *, urls) -> RowView:
    """The RowView of `row` (its form built); `urls`: (row URL, indicator URL) with « 0 »
    for the indicator's id, reversed once for the page."""
    form, indicator = row.form, row.indicator
    names = [name for name in ("value", "level") if name in form.fields]
    value = cell(form, names[0]) if names else None
    if indicator.is_qualitative:
        value = cell(form, "narrative")
    previous, target = _facts(row, Formatter.active())
    categories = [cell(form, name) for name in form.fields if name.startswith("cat_")]
    return RowView(
        pk=str(indicator.pk),
        code=indicator.code,
        wording=Truncator(indicator.wording).words(14),
        header_id=row.header_id,
        url=f"{urls[0][:-2]}{indicator.pk}/",
        detail_url=f"{urls[1][:-2]}{indicator.pk}/",
        version=str(form["version"].value() or 0),
        previous=previous,
        target=target,
        value=value,
        levels=_levels(form, value),
        categories=categories,
        total=_total(form) if categories else "",
        status=cell(form, "status"),
        not_measured=row.not_measured(),
        explanation=cell(form, "explanation"),
        story=cell(form, "narrative"),
        reason=cell(form, "reason") if row.measurement is not None else None,
        confirm=cell(form, "confirmed") if form.needs_confirmation() else None,
        errors=list(form.non_field_errors()) + list(form["period"].errors),
    )
