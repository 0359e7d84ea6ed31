"""The one cell codec: how a text goes into a file the app writes, and how it comes back.

`cell_out` protects a text: one apostrophe goes in front of a text that a spreadsheet would
run as a formula (=, +, -, @, tab, carriage return), of a text that already starts with an
apostrophe, and of a text with spaces at either end (which reading trims). `cell_in` undoes it:
a leading apostrophe is always the protection and is removed, the rest is kept exactly; a cell
without one is trimmed (what a person typed around a value means nothing). So
`cell_in(cell_out(text)) == text` for every text.

XLSX files are XML, which cannot hold a carriage return (read back as a line feed) nor most
control characters: `xlsx_out` writes them as OOXML's `_xHHHH_` escapes, as Excel does (and
XlsxWriter, which the writer uses, applies the same escapes itself), and `xlsx_in` reads them
back (Excel's own files use them too).
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROTECTION = "'"
_PROTECTED_STARTS = frozenset((*FORMULA_STARTS, PROTECTION))

# What XML 1.0 cannot carry as is, and a literal "_xHHHH_" that would read as an escape.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_out(text: str) -> str:
    """`text` as a file cell: protected by a leading apostrophe when it needs it."""
    # The first and last characters decide (the same test as `text != text.strip()`, without
    # copying every text of a large file).
    if text and (text[0] in _PROTECTED_STARTS or text[0].isspace() or text[-1].isspace()):
        return PROTECTION + text
    return text


def cell_in(text: str) -> str:
    """The text a file cell holds: without its protection, or trimmed when it has none."""
    if text.startswith(PROTECTION):
        return text[1:]
    return text.strip()


def xlsx_out(text: str) -> str:
    """A cell's text as XLSX can store it (characters XML cannot hold as `_xHHHH_`)."""
    return _XML_UNSAFE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def xlsx_in(text: str) -> str:
    """The text of an XLSX cell, its `_xHHHH_` escapes read back."""
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
