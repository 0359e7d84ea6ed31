"""The targets grid: indicators × periods of one plan, and blocks pasted from a spreadsheet.

Reads only; the grid is saved by `services.targets_save`. A qualitative indicator has no
numeric target, so it has no row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from indicators.models import Indicator, ReportingPeriod, Target
from indicators.rules.formatting import trim
from indicators.targets.services import target_cell_key

# A pasted block is bounded: a plan has a few dozen indicators and a handful of periods.
BLOCK_MAX_CHARS = 100_000
BLOCK_MAX_ROWS = 1_000


@dataclass
class Cell:
    key: str
    period: ReportingPeriod
    text: str = ""
    # What the cell showed when the grid was read (the saved target), for `targets_save`.
    seen: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name of the cell's input in the grid's form."""
        return f"cell-{self.key}"


@dataclass
class Row:
    indicator: Indicator
    code: str
    cells: list[Cell]

    @property
    def scale(self) -> str:
        """What the cells take: "1–5" for a level, else the unit."""
        levels = [level.value for level in self.indicator.levels.all()]
        if self.indicator.has_levels and levels:
            return f"{min(levels)}–{max(levels)}"
        return self.indicator.unit


@dataclass
class Grid:
    plan: Any
    periods: list[ReportingPeriod]
    rows: list[Row]

    def cells(self):
        return [cell for row in self.rows for cell in row.cells]

    def fill(self, texts: dict[str, str], seen: dict[str, str] | None = None) -> None:
        """After a refused save: show what the person changed (`texts` differing from what
        they had `seen`); other cells show the saved target, as read now."""
        for cell in self.cells():
            if cell.key not in texts:
                continue
            if seen is None or texts[cell.key].strip() != seen.get(cell.key, "").strip():
                cell.text = texts[cell.key]

    @property
    def seen_json(self) -> str:
        """The cells as read, posted back with the grid (see `targets_save`'s `seen`)."""
        return json.dumps({cell.key: cell.seen for cell in self.cells()}, separators=(",", ":"))

    def add_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Put each cell's errors in its cell; return the errors of no cell."""
        cells = {cell.key: cell for cell in self.cells()}
        others = []
        for key, messages in errors.items():
            if key in cells:
                cells[key].errors.extend(messages)
            else:
                others.extend(messages)
        return others

    @property
    def refused(self) -> list[Cell]:
        return [cell for cell in self.cells() if cell.errors]


def input_text(value) -> str:
    """A saved number as a person types it in the active language ("12,5")."""
    return "" if value is None else formats.localize_input(trim(value))


def target_grid(plan) -> Grid:
    """The plan's indicators (all but qualitative ones) × its periods, with saved targets."""
    periods = list(ReportingPeriod.objects.of_plan(plan).order_by("start_date"))
    indicators = [
        indicator
        for indicator in Indicator.objects.of_plan(plan)
        .select_related("result")
        .prefetch_related("levels")
        .order_by("result__number", "order")
        if not indicator.is_qualitative
    ]
    saved = {
        (target.indicator_id, target.period_id): target.value
        for target in Target.objects.filter(period__plan=plan)
    }
    rows = [
        Row(
            indicator=indicator,
            code=indicator.code,
            cells=[
                Cell(
                    key=target_cell_key(indicator.pk, period.pk),
                    period=period,
                    text=input_text(saved.get((indicator.pk, period.pk))),
                    seen=input_text(saved.get((indicator.pk, period.pk))),
                )
                for period in periods
            ],
        )
        for indicator in indicators
    ]
    return Grid(plan=plan, periods=periods, rows=rows)


def posted_cells(grid: Grid, data) -> dict[str, str]:
    """{cell key: text} of the grid's cells found in the posted `data`."""
    return {cell.key: data[cell.name] for cell in grid.cells() if cell.name in data}


def posted_seen(data) -> dict[str, str] | None:
    """The grid's cells as they were read ({cell key: text}), posted back; None if absent."""
    try:
        seen = json.loads(data.get("seen") or "null")
    except ValueError:
        return None
    if not isinstance(seen, dict):
        return None
    return {str(key): text for key, text in seen.items() if isinstance(text, str)}


def _split(text: str) -> list[list[str]]:
    """Rows of tab-separated cells, as a spreadsheet copies them (trailing empty rows out)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


@dataclass
class _Layout:
    """How a pasted block lies on the grid."""

    # The rows of values (a header row taken out).
    rows: list[list[str]]
    # Whether each row starts with its indicator's code ("1.2").
    has_codes: bool
    # For each column of values, the index of its period in the grid (None: not a period).
    columns: list[int | None]


def _block_rows(text: str) -> list[list[str]]:
    """The block's rows of cells; ValidationError when it is too long to be read."""
    if len(text) > BLOCK_MAX_CHARS:
        raise ValidationError(_("This block is too long to be read."))
    rows = _split(text)
    if len(rows) > BLOCK_MAX_ROWS:
        raise ValidationError(_("This block is too long to be read."))
    return rows


def _starts_with_codes(grid: Grid, rows: list[list[str]]) -> bool:
    """Whether every row begins with the code of an indicator of the grid."""
    codes = {row.code for row in grid.rows}
    firsts = [row[0].strip() for row in rows if row and row[0].strip()]
    return bool(firsts) and len(firsts) == len(rows) and all(code in codes for code in firsts)


def _block_layout(grid: Grid, rows: list[list[str]]) -> _Layout:
    """Read the header row and the codes column, when the block has them."""
    period_names = {period.name: index for index, period in enumerate(grid.periods)}
    header = [cell.strip() for cell in rows[0]]
    if not any(name in period_names for name in header):
        has_codes = _starts_with_codes(grid, rows)
        width = max(len(row) for row in rows) - (1 if has_codes else 0)
        return _Layout(rows=rows, has_codes=has_codes, columns=list(range(width)))
    # A header row names periods; its first cell is then empty or a label of the codes column.
    labels_codes = header[0] not in period_names
    values = rows[1:]
    return _Layout(
        rows=values,
        has_codes=labels_codes or _starts_with_codes(grid, values),
        columns=[period_names.get(name) for name in (header[1:] if labels_codes else header)],
    )


def _layout_errors(grid: Grid, layout: _Layout) -> list[str]:
    """Why the block's columns do not fit the grid's periods."""
    errors = []
    if None in layout.columns:
        errors.append(_("Some columns are not named after a period of this plan."))
    if any(index is not None and index >= len(grid.periods) for index in layout.columns):
        errors.append(
            _("The block has more columns than the plan has periods (%(count)s).")
            % {"count": len(grid.periods)}
        )
    return errors


def _block_cells(grid: Grid, layout: _Layout) -> tuple[dict[str, str], list[str]]:
    """({cell key: text} of the block, why some rows do not fit the grid's indicators)."""
    codes = {row.code: index for index, row in enumerate(grid.rows)}
    cells: dict[str, str] = {}
    errors = []
    for number, values in enumerate(layout.rows):
        if layout.has_codes:
            code, values = values[0].strip(), values[1:]
            row_index = codes.get(code)
            if row_index is None:
                errors.append(
                    _("Row %(row)s: “%(code)s” is not the code of an indicator of this grid.")
                    % {"row": number + 1, "code": code}
                )
                continue
        elif number >= len(grid.rows):
            errors.append(
                _("The block has more rows than the grid has indicators (%(count)s).")
                % {"count": len(grid.rows)}
            )
            break
        else:
            row_index = number
        row = grid.rows[row_index]
        for index, value in zip(layout.columns, values, strict=False):
            if index is not None and index < len(row.cells):
                cells[row.cells[index].key] = value.strip()
    return cells, errors


def read_block(grid: Grid, text: str) -> dict[str, str]:
    """{cell key: text} of a block pasted from a spreadsheet (tab-separated).

    The first row may name the periods ("2019-2020") and the first column may give the
    indicators' codes ("1.2"); without them, the block fills the grid from its first cell,
    rows in the grid's order and columns in the periods' order. Raises ValidationError (a
    list of messages) when the block does not fit the grid.
    """
    rows = _block_rows(text)
    if not rows:
        return {}
    layout = _block_layout(grid, rows)
    cells, row_errors = _block_cells(grid, layout)
    errors = _layout_errors(grid, layout) + row_errors
    if errors:
        raise ValidationError(errors)
    return cells
