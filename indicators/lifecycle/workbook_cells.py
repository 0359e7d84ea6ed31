"""The cells of an uploaded structure workbook, read as typed values; problems by cell.

`SheetCells` wraps `workbook.read_workbook`'s rows: it hands out each sheet's rows, reads a
cell as a text, a whole number, a decimal, a date, yes/no, a choice or a user, and records
each problem as a CellError (sheet, row, column, cell) on the import's result. A cell that
cannot be read gives MISSING, so that the row is left out without being blamed twice.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.lifecycle.workbook import MAX_CELL_CHARS, SHEETS_BY_KEY, spellings

# A cell that could not be read (its error is already listed).
MISSING = object()


@dataclass
class CellError:
    """One problem of the workbook, where a person finds it."""

    sheet: str
    row: int | None
    column: str
    letter: str
    message: str

    @property
    def cell(self):
        return f"{self.letter}{self.row}" if self.letter and self.row else ""

    def __str__(self):
        where = [self.sheet]
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        cell = f" ({self.cell})" if self.cell else ""
        return f"{', '.join(where)}{cell} : {self.message}"


class SheetCells:
    """The workbook's rows by sheet, read cell by cell; problems go to `errors`."""

    def __init__(self, data, errors: list):
        self.sheets = data.get("sheets", {})
        self.errors = errors
        self.users = {}

    # -- Errors and rows --

    def error(self, sheet_key, row, column_key, message):
        """List a problem of `row` (a row dict or a row number) in the column `column_key`."""
        sheet = SHEETS_BY_KEY[sheet_key]
        found = self.sheets.get(sheet_key, {})
        self.errors.append(
            CellError(
                sheet=found.get("title") or str(sheet.title),
                row=row["_row"] if isinstance(row, dict) else row,
                column=sheet.label(column_key) if column_key else "",
                letter=found.get("letters", {}).get(column_key, "") if column_key else "",
                message=message,
            )
        )

    def sheet_title(self, key):
        """The sheet's title as the workbook spells it, else the template's."""
        return self.sheets.get(key, {}).get("title") or str(SHEETS_BY_KEY[key].title)

    def rows(self, sheet_key):
        """The sheet's rows; none (and an error) when it or one of its columns is missing."""
        sheet = SHEETS_BY_KEY[sheet_key]
        found = self.sheets.get(sheet_key)
        if found is None:
            if sheet.required:
                self.error(sheet_key, None, None, _("This sheet is missing from the workbook."))
            return []
        for key in found["missing"]:
            self.error(
                sheet_key,
                1,
                None,
                _("The column “%(column)s” is missing.") % {"column": sheet.label(key)},
            )
        return [] if found["missing"] else found["rows"]

    def find(self, registry, sheet_key, row, key, value, message):
        """The object `value` names in `registry`; MISSING (quietly) if its own row was wrong."""
        if value is MISSING:
            return MISSING
        if value not in registry:
            self.error(sheet_key, row, key, message)
            return MISSING
        return registry[value] if registry[value] is not None else MISSING

    # -- Cells --

    def text(self, sheet_key, row, key, *, required=False):
        text = row.get(key, "")
        if len(text) > MAX_CELL_CHARS:
            self.error(
                sheet_key,
                row,
                key,
                _("This text is too long (%(count)s characters; the limit is %(limit)s).")
                % {"count": len(text), "limit": MAX_CELL_CHARS},
            )
            return MISSING
        if required and not text:
            self.error(sheet_key, row, key, _("This cell cannot be empty."))
            return MISSING
        return text

    def integer(self, sheet_key, row, key, *, required=True):
        text = row.get(key, "")
        if not text:
            if required:
                self.error(sheet_key, row, key, _("This cell cannot be empty."))
                return MISSING
            return None
        if not (text.isascii() and text.isdigit()):
            self.error(sheet_key, row, key, _("“%(text)s” is not a whole number.") % {"text": text})
            return MISSING
        return int(text)

    def decimal(self, sheet_key, row, key):
        text = row.get(key, "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(sheet_key, row, key, _("“%(text)s” is not a number.") % {"text": text})
            return MISSING
        return number

    def date(self, sheet_key, row, key):
        text = row.get(key, "")
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.error(
                sheet_key, row, key, _("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}
            )
            return MISSING

    def boolean(self, sheet_key, row, key, *, default):
        text = row.get(key, "").lower()
        if not text:
            return default
        if text in spellings(gettext_lazy("yes")) | {"yes", "1", "true", "vrai", "x"}:
            return True
        if text in spellings(gettext_lazy("no")) | {"no", "0", "false", "faux"}:
            return False
        self.error(sheet_key, row, key, _("“%(text)s” is not “yes” or “no”.") % {"text": text})
        return MISSING

    def choice(self, sheet_key, row, key, choices, *, default=None):
        text = row.get(key, "")
        if not text:
            if default is None:
                self.error(sheet_key, row, key, _("This cell cannot be empty."))
                return MISSING
            return default
        for choice in choices:
            if text.lower() in spellings(choice.label) | {choice.value}:
                return choice.value
        self.error(
            sheet_key,
            row,
            key,
            _("“%(text)s” is not one of: %(choices)s.")
            % {"text": text, "choices": ", ".join(f"« {c.label} »" for c in choices)},
        )
        return MISSING

    def user(self, sheet_key, row, key):
        name = row.get(key, "")
        if not name:
            return None
        if name not in self.users:
            self.users[name] = get_user_model().objects.filter(username__iexact=name).first()
        if self.users[name] is None:
            self.error(sheet_key, row, key, _("No user named “%(name)s”.") % {"name": name})
            return MISSING
        return self.users[name]
