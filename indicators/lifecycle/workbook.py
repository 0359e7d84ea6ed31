"""A plan's structure as an XLSX workbook: its layout, the template, the export, the reading.

One sheet per part of the plan, with French headers: the plan's text, its values,
orientations, results and their sub-items, breakdown dimensions, indicators (kind, unit,
direction, baseline, frequency, responsible person, source…), scale levels, strategies (with
the results they serve) and their sub-items. Objects refer to each other by number: an
indicator by « result.order » (« 1.2 »), a strategy by its orientation and its order.

`plan_workbook(plan)` writes it (an empty template without a plan); `read_workbook(file)`
reads an upload within fixed bounds into plain rows of text; `workbook_import.plan_import`
checks every cell and creates a new draft plan with everything, or nothing, listing each error
by sheet, row and column. Texts go through the one cell codec (indicators.spreadsheets.cells)
both ways, so every text comes back exactly as it was exported.
"""

import datetime
import io
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.exports.building import counted
from indicators.models import (
    Category,
    Dimension,
    Direction,
    Frequency,
    Indicator,
    MeasureKind,
    ScaleLevel,
)
from indicators.rules.uploads import ArchiveLimits, ArchiveUnreadable, xlsx_check
from indicators.spreadsheets import writer as spreadsheets
from indicators.spreadsheets.cells import cell_in, xlsx_in
from plan.models import (
    OrganisationalValue,
    Orientation,
    Result,
    ResultItem,
    StrategicPlan,
    Strategy,
    StrategyItem,
    ValueCategory,
)

# Bounds of an uploaded workbook: checked before and while reading, never taken from the file.
MAX_FILE_BYTES = 2 * 1024 * 1024
# What the archive declares (members, sizes, compression ratio), checked by rules/uploads.py
# before anything is inflated; its XML parts are then scanned within uploads' caps.
WORKBOOK_LIMITS = ArchiveLimits(
    members=200, member_bytes=20 * 1024 * 1024, total_bytes=20 * 1024 * 1024, ratio=200
)
MAX_SHEETS = 30
MAX_ROWS_PER_SHEET = 2_000  # every row read, empty or not
MAX_COLUMNS = 30  # columns read; cells beyond are ignored
MAX_CELLS = 100_000  # non-empty cells in the whole workbook
MAX_CELL_CHARS = 20_000

XLSX_CONTENT_TYPE = spreadsheets.XLSX_CONTENT_TYPE


def field_label(model, name):
    """A model field's verbose name as a header: « Type de mesure »."""
    return capfirst(model._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    required: bool = False
    width: int = 14
    choices: tuple = ()  # labels offered in a drop-down list


@dataclass(frozen=True)
class Sheet:
    key: str
    title: object
    columns: tuple
    required: bool = False

    def label(self, key):
        return next(str(column.label) for column in self.columns if column.key == key)


# Fields of the plan written on the sheet « Plan » (title and years are asked on import).
PLAN_FIELDS = [
    "subtitle",
    "organisation",
    "mission",
    "intentions_intro",
    "intentions",
    "approach",
    "vision",
    "distinctive_strengths",
    "preamble",
    "indicators_footnote",
    "document_author",
    "document_date",
    "on_track_threshold",
    "watch_threshold",
]

YES_NO = (gettext_lazy("yes"), gettext_lazy("no"))


def _labels(choices):
    return tuple(choice.label for choice in choices)


SHEETS = (
    Sheet(
        "plan",
        gettext_lazy("Plan"),
        (
            Column("field", gettext_lazy("Field"), True, 30),
            Column("value", gettext_lazy("Value"), width=80),
        ),
    ),
    Sheet(
        "values",
        gettext_lazy("Organisational values"),
        (
            Column(
                "category",
                field_label(OrganisationalValue, "category"),
                True,
                30,
                _labels(ValueCategory),
            ),
            Column("name", field_label(OrganisationalValue, "name"), True, 20),
            Column("definition", field_label(OrganisationalValue, "definition"), True, 60),
            Column("order", field_label(OrganisationalValue, "order")),
        ),
    ),
    Sheet(
        "orientations",
        gettext_lazy("Orientations"),
        (
            Column("number", field_label(Orientation, "number"), True),
            Column("title", field_label(Orientation, "title"), True, 80),
        ),
        required=True,
    ),
    Sheet(
        "results",
        gettext_lazy("Results"),
        (
            Column("number", field_label(Result, "number"), True),
            Column("orientation", gettext_lazy("Orientation number"), True),
            Column("statement", field_label(Result, "statement"), True, 80),
        ),
        required=True,
    ),
    Sheet(
        "result_items",
        gettext_lazy("Result sub-items"),
        (
            Column("result", gettext_lazy("Result number"), True),
            Column("letter", field_label(ResultItem, "letter"), True),
            Column("text", field_label(ResultItem, "text"), True, 80),
        ),
    ),
    Sheet(
        "dimensions",
        gettext_lazy("Breakdown dimensions"),
        (
            Column("dimension", field_label(Indicator, "dimension"), True, 30),
            Column("description", field_label(Dimension, "description"), width=50),
            Column("category", gettext_lazy("Category"), width=30),
            Column("order", field_label(Category, "order")),
        ),
    ),
    Sheet(
        "indicators",
        gettext_lazy("Indicators"),
        (
            Column("result", gettext_lazy("Result number"), True),
            Column("order", field_label(Indicator, "order"), True),
            Column("wording", field_label(Indicator, "wording"), True, 60),
            Column("definition", field_label(Indicator, "definition"), width=40),
            Column("kind", field_label(Indicator, "kind"), True, 24, _labels(MeasureKind)),
            Column("kind_is_proposal", field_label(Indicator, "kind_is_proposal"), choices=YES_NO),
            Column("unit", field_label(Indicator, "unit")),
            Column(
                "direction",
                field_label(Indicator, "direction"),
                width=20,
                choices=_labels(Direction),
            ),
            Column("dimension", field_label(Indicator, "dimension"), width=30),
            Column("is_cumulative", field_label(Indicator, "is_cumulative"), choices=YES_NO),
            Column(
                "frequency",
                field_label(Indicator, "frequency"),
                width=20,
                choices=_labels(Frequency),
            ),
            Column("responsible", gettext_lazy("Responsible staff member (user name)"), width=20),
            Column("data_source", field_label(Indicator, "data_source"), width=30),
            Column("method", field_label(Indicator, "method"), width=30),
            Column("baseline_value", field_label(Indicator, "baseline_value")),
            Column("baseline_period", field_label(Indicator, "baseline_period")),
            Column("baseline_date", field_label(Indicator, "baseline_date")),
            Column("baseline_comment", field_label(Indicator, "baseline_comment"), width=30),
            Column("end_target_value", field_label(Indicator, "end_target_value")),
            Column("end_target_comment", field_label(Indicator, "end_target_comment"), width=30),
        ),
        required=True,
    ),
    Sheet(
        "levels",
        gettext_lazy("Scale levels"),
        (
            Column("indicator", gettext_lazy("Indicator code"), True),
            Column("value", field_label(ScaleLevel, "value"), True),
            Column("label", field_label(ScaleLevel, "label"), True, 30),
            Column("description", field_label(ScaleLevel, "description"), width=60),
        ),
    ),
    Sheet(
        "strategies",
        gettext_lazy("Strategies"),
        (
            Column("orientation", gettext_lazy("Orientation number"), True),
            Column("order", field_label(Strategy, "order"), True),
            Column("text", field_label(Strategy, "text"), True, 80),
            Column("results", gettext_lazy("Results served (numbers)"), width=20),
        ),
        required=True,
    ),
    Sheet(
        "strategy_items",
        gettext_lazy("Strategy sub-items"),
        (
            Column("orientation", gettext_lazy("Orientation number"), True),
            Column("strategy", gettext_lazy("Strategy order"), True),
            Column("letter", field_label(StrategyItem, "letter"), True),
            Column("text", field_label(StrategyItem, "text"), True, 80),
        ),
    ),
)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}


# --- Writing -------------------------------------------------------------------------------


def yes_no(flag):
    return _("yes") if flag else _("no")


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def _dimension_rows(indicators):
    """One row per category of each dimension the indicators use (one row when it has none)."""
    dimensions = sorted(
        {indicator.dimension for indicator in indicators if indicator.dimension},
        key=lambda dimension: dimension.name,
    )
    return [
        (
            dimension.name,
            dimension.description,
            category.name if category else "",
            category.order if category else None,
        )
        for dimension in dimensions
        for category in (list(dimension.categories.all()) or [None])
    ]


def _indicator_row(indicator):
    return (
        indicator.result.number,
        indicator.order,
        indicator.wording,
        indicator.definition,
        indicator.get_kind_display(),
        yes_no(indicator.kind_is_proposal),
        indicator.unit,
        indicator.get_direction_display(),
        indicator.dimension.name if indicator.dimension else "",
        yes_no(indicator.is_cumulative),
        indicator.get_frequency_display(),
        indicator.responsible.get_username() if indicator.responsible else "",
        indicator.data_source,
        indicator.method,
        _number(indicator.baseline_value),
        indicator.baseline_period.name if indicator.baseline_period else "",
        indicator.baseline_date,
        indicator.baseline_comment,
        _number(indicator.end_target_value),
        indicator.end_target_comment,
    )


def _indicator_rows(plan):
    """The rows of the sheets « Dimensions », « Indicators » and « Scale levels »."""
    indicators = list(
        Indicator.objects.of_plan(plan)
        .select_related("result", "dimension", "responsible", "baseline_period")
        .prefetch_related("levels")
        .order_by("result__number", "order")
    )
    return {
        "dimensions": _dimension_rows(indicators),
        "indicators": [_indicator_row(indicator) for indicator in indicators],
        "levels": [
            (indicator.code, level.value, level.label, level.description)
            for indicator in indicators
            for level in indicator.levels.all()
        ],
    }


def _served(strategy):
    return sorted(result.number for result in strategy.results.all())


def _strategy_rows(plan):
    """The rows of the sheets « Strategies » (with the results served) and their sub-items."""
    strategies = list(
        Strategy.objects.filter(orientation__plan=plan)
        .select_related("orientation")
        .prefetch_related("results", "items")
    )
    return {
        "strategies": [
            (
                strategy.orientation.number,
                strategy.order,
                strategy.text,
                ", ".join(
                    str(number) for number in sorted(r.number for r in strategy.results.all())
                ),
            )
            for strategy in strategies
        ],
        "strategy_items": [
            (strategy.orientation.number, strategy.order, item.letter, item.text)
            for strategy in strategies
            for item in strategy.items.all()
        ],
    }


def _plan_rows(plan):
    """{sheet key: [row values in column order]} for `plan`."""
    results = Result.objects.filter(orientation__plan=plan).select_related("orientation")
    items = (
        ResultItem.objects.filter(result__orientation__plan=plan)
        .select_related("result")
        .order_by("result__number", "letter")
    )
    return {
        "plan": [
            (str(field_label(StrategicPlan, name)), getattr(plan, name)) for name in PLAN_FIELDS
        ],
        "values": [
            (value.get_category_display(), value.name, value.definition, value.order)
            for value in plan.values.all()
        ],
        "orientations": [(o.number, o.title) for o in plan.orientations.order_by("number")],
        "results": [(r.number, r.orientation.number, r.statement) for r in results],
        "result_items": [(item.result.number, item.letter, item.text) for item in items],
        **_indicator_rows(plan),
        **_strategy_rows(plan),
    }


def _sheet_to_write(sheet, rows):
    """A sheet of the layout as spreadsheets.Sheet: French headers, drop-down lists."""
    columns = [
        spreadsheets.Column(
            column.key,
            str(column.label),
            column.width,
            choices=tuple(str(label) for label in column.choices),
        )
        for column in sheet.columns
    ]
    keys = [column.key for column in sheet.columns]
    return spreadsheets.Sheet(
        title=str(sheet.title)[:31],
        columns=columns,
        rows=[dict(zip(keys, values, strict=True)) for values in rows],
        choice_rows=MAX_ROWS_PER_SHEET - 1,
    )


def _template_value(name):
    """The template's value of a plan field: the plan's own default (the thresholds)."""
    model_field = StrategicPlan._meta.get_field(name)
    return model_field.get_default() if model_field.has_default() else None


def plan_workbook(plan=None):
    """The workbook's bytes: `plan`'s structure, or the empty template. Headers in French.

    Written by the one spreadsheet writer (spreadsheets/writer.py), whose cell codec protects
    text that a spreadsheet would run, and which offers each choice column's labels in a
    drop-down list from a hidden sheet « Listes ».
    """
    buffer = io.BytesIO()
    plan_workbook_write(plan, buffer)
    return buffer.getvalue()


def plan_workbook_write(plan, target, progress=None):
    """Write the workbook of `plan` (None: the template) to `target`; `progress(done,
    total)` hears of each row written, when given."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = _plan_rows(plan) if plan is not None else {}
        if plan is None:
            rows["plan"] = [
                (str(field_label(StrategicPlan, name)), _template_value(name))
                for name in PLAN_FIELDS
            ]
        sheets = [_sheet_to_write(sheet, rows.get(sheet.key, [])) for sheet in SHEETS]
        if progress is not None:
            total = sum(len(sheet.rows) for sheet in sheets)
            sheets = [replace(sheet, rows=counted(sheet.rows, progress, total)) for sheet in sheets]
        spreadsheets.xlsx_write(sheets, target, lists_title=_("Lists"))


def workbook_row_count(plan):
    """About the rows of `plan`'s workbook (its largest sheets), to choose between writing it
    at once and preparing it in the background."""
    return (
        Indicator.objects.filter(result__orientation__plan=plan).count()
        + Strategy.objects.filter(orientation__plan=plan).count()
        + Result.objects.filter(orientation__plan=plan).count()
    )


def build_workbook(*, params, target, progress):
    """The structure workbook of `params["plan"]`, written to `target` (registry of
    exports)."""
    plan = StrategicPlan.objects.get(pk=params["plan"])
    plan_workbook_write(plan, target, progress)
    return workbook_file_name(plan)


def workbook_file_name(plan=None):
    if plan is None:
        return "modele-structure-plan.xlsx"
    return f"structure-plan-{plan.years}.xlsx"


# --- Reading -------------------------------------------------------------------------------


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_in(xlsx_in(str(value)))


def spellings(thing):
    """Every language's spelling of a lazy label, lower-cased."""
    found = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found.add(str(thing).strip().lower())
    return found


def _too_large():
    return ValidationError(
        _(
            "This workbook is too large: at most %(rows)s rows per sheet, %(cells)s filled "
            "cells and %(size)s MB."
        )
        % {
            "rows": MAX_ROWS_PER_SHEET,
            "cells": MAX_CELLS,
            "size": MAX_FILE_BYTES // (1024 * 1024),
        },
        code="too_large",
    )


def _open_workbook(uploaded):
    """The upload as an openpyxl workbook (read-only), once its archive passed the bounds."""
    from openpyxl import load_workbook

    if uploaded.size is not None and uploaded.size > MAX_FILE_BYTES:
        raise _too_large()
    try:
        xlsx_check(uploaded, limits=WORKBOOK_LIMITS)
    except ArchiveUnreadable as error:
        raise ValidationError(_("This file is not an XLSX workbook."), code="invalid") from error
    uploaded.seek(0)
    try:
        return load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a broken file
        raise ValidationError(_("This XLSX file cannot be read."), code="invalid") from error


def _header_positions(sheet, texts):
    """({column key: letter}, {column key: index}) of the header row `texts` of `sheet`."""
    from openpyxl.utils import get_column_letter

    headers = {}
    for column in sheet.columns:
        for spelling in spellings(column.label) | {column.key}:
            headers[spelling] = column.key
    letters, indexes = {}, {}
    for index, text in enumerate(texts):
        key = headers.get(text.lower())
        if key and key not in letters:
            letters[key], indexes[key] = get_column_letter(index + 1), index
    return letters, indexes


class _CellCount:
    """The filled cells read so far, against MAX_CELLS for the whole workbook."""

    def __init__(self):
        self.cells = 0

    def add(self, texts):
        self.cells += sum(1 for text in texts if text)
        if self.cells > MAX_CELLS:
            raise _too_large()


def _read_sheet(worksheet, sheet, count):
    """One sheet of the layout: its header's columns, then its non-empty rows of text."""
    letters, indexes, rows = {}, {}, []
    values = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    for number, cells in enumerate(values, start=1):
        if number > MAX_ROWS_PER_SHEET:
            raise _too_large()
        texts = [_cell_text(value) for value in cells]
        if number == 1:
            letters, indexes = _header_positions(sheet, texts)
            continue
        count.add(texts)
        row = {key: texts[index] if index < len(texts) else "" for key, index in indexes.items()}
        if any(row.values()):
            rows.append({"_row": number, **row})
    return {
        "title": worksheet.title,
        "letters": letters,
        "missing": [c.key for c in sheet.columns if c.required and c.key not in letters],
        "rows": rows,
    }


def read_workbook(uploaded):
    """The workbook's sheets as plain rows of text, within the module's bounds.

    Returns {"sheets": {sheet key: {"title", "letters": {column key: letter},
    "missing": [column keys], "rows": [{"_row": n, column key: text}]}}} (JSON-serialisable,
    so that a preview can be confirmed later). Raises ValidationError when the file cannot
    be read or goes beyond a bound.
    """
    workbook = _open_workbook(uploaded)
    try:
        if len(workbook.worksheets) > MAX_SHEETS:
            raise _too_large()
        titles = {}
        for sheet in SHEETS:
            for spelling in spellings(sheet.title) | {sheet.key}:
                titles[spelling[:31]] = sheet
        found, count = {}, _CellCount()
        for worksheet in workbook.worksheets:
            sheet = titles.get(worksheet.title.strip().lower())
            if sheet is not None and sheet.key not in found:
                found[sheet.key] = _read_sheet(worksheet, sheet, count)
    finally:
        workbook.close()
    return {"sheets": found}
