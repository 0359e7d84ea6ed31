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


def read_block(grid: Grid, text: str) -> dict[str, str]:
    """{cell key: text} of a block pasted from a spreadsheet (tab-separated).

    The first row may name the periods ("2019-2020") and the first column may give the
    indicators' codes ("1.2"); without them, the block fills the grid from its first cell,
    rows in the grid's order and columns in the periods' order. Raises ValidationError (a
    list of messages) when the block does not fit the grid.
    """
    if len(text) > BLOCK_MAX_CHARS:
        raise ValidationError(_("This block is too long to be read."))
    rows = _split(text)
    if not rows:
        return {}
    if len(rows) > BLOCK_MAX_ROWS:
        raise ValidationError(_("This block is too long to be read."))
    period_names = {period.name: index for index, period in enumerate(grid.periods)}
    codes = {row.code: index for index, row in enumerate(grid.rows)}

    # A header row names periods; its first cell is then empty or a label of the codes column.
    header = [cell.strip() for cell in rows[0]]
    named = [name for name in header if name in period_names]
    has_header = bool(named)
    has_codes = False
    if has_header:
        has_codes = header[0] not in period_names
        columns = header[1:] if has_codes else header
        column_index = [period_names.get(name) for name in columns]
        rows = rows[1:]
    if not has_header or not has_codes:
        firsts = [row[0].strip() for row in rows if row and row[0].strip()]
        has_codes = has_codes or (
            bool(firsts) and len(firsts) == len(rows) and all(code in codes for code in firsts)
        )
    if not has_header:
        width = max((len(row) for row in rows), default=0) - (1 if has_codes else 0)
        column_index = list(range(width))

    errors = []
    if len([index for index in column_index if index is not None]) < len(column_index):
        errors.append(_("Some columns are not named after a period of this plan."))
    if any(index is not None and index >= len(grid.periods) for index in column_index):
        errors.append(
            _("The block has more columns than the plan has periods (%(count)s).")
            % {"count": len(grid.periods)}
        )
    cells: dict[str, str] = {}
    for number, values in enumerate(rows):
        if has_codes:
            code, values = values[0].strip(), values[1:]
            row_index = codes.get(code)
            if row_index is None:
                errors.append(
                    _("Row %(row)s: “%(code)s” is not the code of an indicator of this grid.")
                    % {"row": number + 1, "code": code}
                )
                continue
        else:
            row_index = number
            if row_index >= len(grid.rows):
                errors.append(
                    _("The block has more rows than the grid has indicators (%(count)s).")
                    % {"count": len(grid.rows)}
                )
                break
        row = grid.rows[row_index]
        for column, value in enumerate(values):
            if column < len(column_index) and column_index[column] is not None:
                index = column_index[column]
                if index < len(row.cells):
                    cells[row.cells[index].key] = value.strip()
    if errors:
        raise ValidationError(errors)
    return cells
