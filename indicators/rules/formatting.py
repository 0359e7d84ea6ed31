"""Numbers for people, in the active language: the one formatter of the app.

Pages, charts, reports and exports all format through here: numbers ("1 234,5"), values in
a unit ("12 outils"), amounts ("1 234,50 $"), percentages ("12,5 %"), level labels
("3 – Expérimentation") and the empty value ("—").

    fmt = Formatter.active()          # reads the language's separators once…
    cells = [fmt.number(v) for v in values]   # …for as many numbers as needed

The module-level functions (`format_number`, `format_percent`…) are shortcuts for one number.

Rules, the same in every language:
- at most two decimals, without useless zeros (12.50 → "12,5"; 12.00 → "12"); amounts keep
  exactly two ("1 234,50 $"); progress percentages one ("95,9 %"); halves round up;
- digits are grouped by three; a number and its unit or sign never split across lines (a
  non-breaking space joins them in French);
- the empty value is an em dash, "—", everywhere: the en dash "–" already separates a level
  from its label and the two dates of a period, and reads like a minus sign next to numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import get_language

EMPTY = "—"
NBSP = "\xa0"
LEVEL_SEPARATOR = " – "

CENT = Decimal("0.01")
TENTH = Decimal("0.1")

Number = Decimal | int | float | str
# (level number, label) pairs of an ordinal scale.
Levels = Iterable[tuple[Number, str]]


def to_decimal(value: Number) -> Decimal:
    """A Decimal from a Decimal, int, float (through its shortest text) or numeric text."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def trim(value: Number | None) -> Decimal | None:
    """The same number without useless trailing zeros: 12.50 → 12.5, 12.00 → 12, 1E+2 → 100."""
    if value is None or value == "":
        return None
    number = to_decimal(value)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def round_percent(value: Number | None) -> Decimal | None:
    """A progress percentage rounded to one decimal, as pages and reports show it."""
    if value is None:
        return None
    return to_decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Formatter:
    """The active language's way of writing numbers; build it once per page, table or file."""

    thousands: str
    decimal: str
    french: bool

    @classmethod
    def active(cls) -> Formatter:
        """The formatter of the language active now (looked up once, not once per number)."""
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        return cls(
            thousands=get_format("THOUSAND_SEPARATOR"),
            decimal=get_format("DECIMAL_SEPARATOR"),
            french=language.startswith("fr"),
        )

    # --- Plain numbers --------------------------------------------------------------------

    def number(self, value: Number | None, *, places: int | None = None) -> str:
        """ "1 234,5": at most two decimals without useless zeros, or exactly `places`."""
        if value is None or value == "":
            return EMPTY
        number = to_decimal(value)
        if places is None:
            number = trim(number.quantize(CENT, rounding=ROUND_HALF_UP))
        else:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        sign = "-" if number < 0 else ""
        whole, _dot, fraction = f"{abs(number):f}".partition(".")
        groups = []
        while len(whole) > 3:
            whole, group = whole[:-3], whole[-3:]
            groups.insert(0, group)
        text = self.thousands.join([whole, *groups])
        if fraction:
            text += self.decimal + fraction
        return sign + text

    # --- Numbers with a sign or a unit ----------------------------------------------------

    def percent(self, value: Number | None) -> str:
        """A progress percentage, to one decimal: "95,9 %" (French), "95.9%" (English)."""
        if value is None:
            return EMPTY
        return self.percentage(round_percent(value))

    def percentage(self, value: Number | None) -> str:
        """A measured percentage as recorded: "12,25 %" (French), "12.25%" (English)."""
        if value is None or value == "":
            return EMPTY
        text = self.number(value)
        return f"{text}{NBSP}%" if self.french else f"{text}%"

    def amount(self, value: Number | None) -> str:
        """Dollars with cents: "1 234,50 $" (French), "$1,234.50" (English)."""
        if value is None or value == "":
            return EMPTY
        text = self.number(value, places=2)
        if self.french:
            return f"{text}{NBSP}$"
        return f"-${text[1:]}" if text.startswith("-") else f"${text}"

    def quantity(self, value: Number | None, unit: str = "") -> str:
        """A number in its unit: "12 outils"; the number alone without a unit."""
        if value is None or value == "":
            return EMPTY
        text = self.number(value)
        unit = (unit or "").strip()
        return f"{text}{NBSP}{unit}" if unit else text

    def level(self, value: Number | None, levels: Levels) -> str:
        """A level with its label: "3 – Expérimentation"; the number alone when unknown."""
        if value is None or value == "":
            return EMPTY
        number = to_decimal(value)
        for level, label in levels:
            if to_decimal(level) == number:
                return f"{self.number(number)}{LEVEL_SEPARATOR}{label}"
        return self.number(number)

    @staticmethod
    def text(value: object) -> str:
        """Any text, or the empty value when there is none."""
        text = "" if value is None else str(value)
        return text if text.strip() else EMPTY


# --- Shortcuts for one number ----------------------------------------------------------------


def format_number(value: Number | None) -> str:
    return Formatter.active().number(value)


def format_percent(value: Number | None) -> str:
    return Formatter.active().percent(value)
