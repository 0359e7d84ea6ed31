"""Bounded reading of uploaded files: zip archives (XLSX, DOCX, ODT…), XLSX sheets and CSV.

A file states sizes about itself (the sizes of the members of a zip archive, the dimension
of a sheet); none of them is trusted to decide an allocation. Before anything is inflated:

- zip archives: the central directory's size and member count (from the end record), then
  every member's declared size, the total and the compression ratio are checked against
  caps; Python's zipfile never inflates a member beyond its declared size, so reading is
  capped as well;
- XLSX: every XML part is scanned as a stream (no DTD, bounded depth of memory) and refused
  when it declares or holds more rows, columns or elements than the caps, before openpyxl
  (read-only mode, with defusedxml installed) reads the first sheet;
- CSV: NUL bytes are refused, UTF-8 (with or without BOM) is read first, then Windows-1252
  (French Excel's "CSV (point-virgule)"); rows, columns and cell lengths are capped.

The readers return a plain table: a list of rows, each a list of strings.
"""

import csv
import io
import struct
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MIB = 1024 * 1024

# A table: rows (the header included), columns, characters in a cell (Excel's own limit).
MAX_ROWS = 5_000
MAX_COLUMNS = 50
MAX_CELL_CHARS = 32_767

# XML parts of an XLSX file, counted in elements (tags).
MAX_ROW_ELEMENTS = 1_000  # inside one <row>: cells and their values
MAX_PART_ELEMENTS = 50_000  # a part that openpyxl reads as a whole tree (styles, workbook…)
MAX_TABLE_PART_ELEMENTS = 600_000  # a sheet or the shared strings, read as a stream
MAX_ARCHIVE_ELEMENTS = 1_000_000  # all parts of one file together
# Root elements of the parts that openpyxl streams (it clears each row or string once read).
STREAMED_ROOTS = {"worksheet", "sst"}


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps on what a zip archive declares, checked before any member is inflated."""

    members: int
    member_bytes: int
    total_bytes: int
    # Inflated size / compressed size, checked for members above `ratio_from_bytes`.
    ratio: int
    ratio_from_bytes: int = MIB
    # Central directory: about 46 bytes and a name per member.
    directory_bytes_per_member: int = 1024


# An XLSX file to import: a handful of parts, a few MB of XML at most.
XLSX_LIMITS = ArchiveLimits(members=500, member_bytes=32 * MIB, total_bytes=64 * MIB, ratio=200)
# An evidence file (DOCX, XLSX, ODT, ODS): only its list of members and `mimetype` are read,
# but an archive that inflates to gigabytes is no document anyone needs to keep.
EVIDENCE_LIMITS = ArchiveLimits(
    members=5_000, member_bytes=256 * MIB, total_bytes=1024 * MIB, ratio=200
)


class ArchiveUnreadable(Exception):
    """Not a zip archive, or a damaged one."""


def _human(number):
    return number_format(number, force_grouping=True)


def _archive_refused(name):
    return ValidationError(
        _(
            "“%(name)s” is a compressed file whose contents are too large or too many once "
            "decompressed; it was refused."
        )
        % {"name": name},
        code="archive_too_large",
    )


# --- Zip archives --------------------------------------------------------------------------

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def _declared_directory(handle):
    """(member count, central directory size) that the archive's end record declares.

    Read the way zipfile finds it (the record at the very end, else the last one in the
    final 64 KiB), so that the figures checked are the ones zipfile will use.
    """
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    start = max(size - (_END.size + 65535), 0)
    handle.seek(start)
    tail = handle.read(size - start)
    position = len(tail) - _END.size
    if tail[position : position + 4] != b"PK\x05\x06":
        position = tail.rfind(b"PK\x05\x06")
    if position < 0 or position + _END.size > len(tail):
        raise ArchiveUnreadable
    fields = _END.unpack_from(tail, position)
    count, directory_size = fields[4], fields[5]
    locator = position - _END64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        # Zip64: the real figures are in another record, at an offset the file states.
        offset = _END64_LOCATOR.unpack_from(tail, locator)[2]
        handle.seek(offset)
        record = handle.read(_END64.size)
        if len(record) != _END64.size or record[:4] != b"PK\x06\x06":
            raise ArchiveUnreadable
        values = _END64.unpack(record)
        count, directory_size = values[6], values[8]
    return count, directory_size


@contextmanager
def open_zip(uploaded, *, limits, name=None):
    """A ZipFile on `uploaded`, once every size it declares is within `limits`.

    Raises ArchiveUnreadable (not a zip, damaged) or ValidationError (over the limits).
    """
    name = name or getattr(uploaded, "name", "") or ""
    uploaded.seek(0)
    try:
        count, directory_size = _declared_directory(uploaded)
    except (OSError, struct.error) as error:
        raise ArchiveUnreadable from error
    directory_cap = limits.members * limits.directory_bytes_per_member
    if count > limits.members or directory_size > directory_cap:
        raise _archive_refused(name)
    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveUnreadable from error
    with archive:
        members = archive.infolist()
        total = 0
        for info in members:
            total += info.file_size
            ratio_too_high = (
                info.file_size > limits.ratio_from_bytes
                and info.file_size > limits.ratio * max(info.compress_size, 1)
            )
            if info.file_size > limits.member_bytes or ratio_too_high:
                raise _archive_refused(name)
        if len(members) > limits.members or total > limits.total_bytes:
            raise _archive_refused(name)
        yield archive
    uploaded.seek(0)


def read_member(archive, member, *, limit):
    """The bytes of one member, or ArchiveUnreadable when it is longer than `limit`."""
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as error:
        raise ArchiveUnreadable from error
    if len(data) > limit:
        raise ArchiveUnreadable
    return data


# --- XLSX ----------------------------------------------------------------------------------


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _too_large_table():
    return ValidationError(
        _(
            "This file has more than %(rows)s rows or more than %(columns)s columns; keep only "
            "the columns of the export and split it into smaller files."
        )
        % {"rows": _human(MAX_ROWS), "columns": _human(MAX_COLUMNS)},
        code="too_large_table",
    )


def _too_complex():
    return ValidationError(
        _(
            "This XLSX file is too complex to be read safely. Copy its values into a new "
            "workbook, or save it as “CSV UTF-8”, and import that file."
        ),
        code="too_complex",
    )


def _unreadable_xlsx():
    return ValidationError(_("This XLSX file cannot be read."), code="unreadable")


def _check_dimension(reference):
    """Refuse a sheet whose declared dimension ("A1:XFD1048576") is beyond the caps."""
    from openpyxl.utils.cell import range_boundaries

    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(reference[:40])
    except (ValueError, TypeError):
        return  # openpyxl ignores it too: the dimensions are reset before reading
    if (max_col or 0) > MAX_COLUMNS or (max_row or 0) > MAX_ROWS:
        raise _too_large_table()


def _scan_part(stream, budget):
    """Stream one XML part, keeping no element once it ends; enforce the caps.

    `budget` is a one-item list: the elements the whole archive may still hold.
    """
    stack = []
    root_kind = None
    elements = outside_rows = rows = row_elements = 0
    row_depth = None
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        if event == "end":
            stack.pop()
            if stack:
                stack[-1].remove(element)
            if row_depth is not None and len(stack) == row_depth:
                row_depth = None
            continue
        tag = _local(element.tag)
        if root_kind is None:
            root_kind = tag
        elements += 1
        budget[0] -= 1
        if budget[0] < 0:
            raise _too_complex()
        if root_kind not in STREAMED_ROOTS:
            if elements > MAX_PART_ELEMENTS:
                raise _too_complex()
        elif elements > MAX_TABLE_PART_ELEMENTS:
            raise _too_complex()
        if root_kind == "worksheet":
            if row_depth is not None:
                row_elements += 1
                if row_elements > MAX_ROW_ELEMENTS:
                    raise _too_large_table()
            elif tag == "row":
                rows += 1
                if rows > MAX_ROWS:
                    raise _too_large_table()
                row_depth, row_elements = len(stack), 0
            else:
                outside_rows += 1
                if outside_rows > MAX_PART_ELEMENTS:
                    raise _too_complex()
                if tag == "dimension":
                    _check_dimension(element.get("ref") or "")
        stack.append(element)


# Damaged XML, a DTD or an entity, a damaged or encrypted member, an unknown compression.
XML_READ_ERRORS = (
    ParseError,
    DefusedXmlException,
    zipfile.BadZipFile,
    OSError,
    RuntimeError,
    ValueError,
    EOFError,
    NotImplementedError,
)


def _scan_xlsx(archive):
    """Scan every XML part of the archive before openpyxl reads any of them."""
    budget = [MAX_ARCHIVE_ELEMENTS]
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as stream:
                _scan_part(stream, budget)
        except XML_READ_ERRORS as error:
            raise _unreadable_xlsx() from error


def _xlsx_text(value):
    """A cell read by openpyxl → text, without arithmetic on the number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = repr(value)  # "12.5", "1e+308", "inf", "nan"
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, int):
        return str(value)  # at most 4 300 digits: Python refuses longer ones
    if hasattr(value, "hour") and hasattr(value, "year"):
        return value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def xlsx_check(uploaded, *, limits=XLSX_LIMITS):
    """Check an XLSX upload before openpyxl reads it: what its archive declares (`limits`),
    then every XML part, scanned as a stream within this module's caps.

    Raises ArchiveUnreadable (not a zip, damaged) or ValidationError (refused).
    """
    name = getattr(uploaded, "name", "") or ""
    with open_zip(uploaded, limits=limits, name=name) as archive:
        _scan_xlsx(archive)
    uploaded.seek(0)


def xlsx_table(uploaded):
    """The first sheet of an XLSX file as a table of strings (ValidationError when refused)."""
    from openpyxl import load_workbook

    try:
        xlsx_check(uploaded)
    except ArchiveUnreadable as error:
        raise _unreadable_xlsx() from error
    uploaded.seek(0)
    with warnings.catch_warnings():
        # openpyxl warns (and reads "#VALUE!") for a date out of range.
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(uploaded, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception as error:  # openpyxl raises many kinds of errors on a broken file
            raise _unreadable_xlsx() from error
        try:
            return _sheet_table(sheet)
        finally:
            workbook.close()


def _sheet_table(sheet):
    table = []
    sheet.reset_dimensions()  # never size anything from the declared dimension
    rows = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True)
    try:
        for number, row in enumerate(rows, start=1):
            table.append(_table_row(row, number))
    except ValidationError:
        raise
    except Exception as error:  # a cell that openpyxl cannot convert, a damaged part
        raise ValidationError(
            _(
                "Row %(row)s of this XLSX file cannot be read: a cell holds a value that does "
                "not match its type (text in a number cell, an impossible date, a missing "
                "shared text). Correct it, or save the file as “CSV UTF-8”."
            )
            % {"row": _human(len(table) + 1)},
            code="bad_cell",
        ) from error
    if len(table) > MAX_ROWS:
        raise _too_large_table()
    return table


def _table_row(cells, number):
    """Check one row of a table (strings, or values of openpyxl) and return its strings."""
    row = [_xlsx_text(cell) if not isinstance(cell, str) else cell for cell in cells]
    while row and row[-1] == "":
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise ValidationError(
            _("Row %(row)s has more than %(limit)s columns; keep only the columns of the export.")
            % {"row": _human(number), "limit": _human(MAX_COLUMNS)},
            code="too_many_columns",
        )
    for text in row:
        if len(text) > MAX_CELL_CHARS:
            raise ValidationError(
                _("Row %(row)s has a cell longer than %(limit)s characters.")
                % {"row": _human(number), "limit": _human(MAX_CELL_CHARS)},
                code="cell_too_long",
            )
        if "\x00" in text:
            raise ValidationError(
                _("Row %(row)s holds a null character (NUL), which cannot be stored.")
                % {"row": _human(number)},
                code="nul",
            )
    return row


# --- CSV -----------------------------------------------------------------------------------


def _save_as_utf8_hint():
    return _(
        "In Excel, choose “Save as”, then the type “CSV UTF-8 (comma delimited) (*.csv)”, "
        "and import that file."
    )


def _decode(data):
    """UTF-8 (with or without BOM), else Windows-1252 (French Excel), else refused."""
    if b"\x00" in data:
        raise ValidationError(
            _(
                "This file contains null characters (NUL): it is not a CSV text file "
                "(perhaps a UTF-16 text or a binary file). %(hint)s"
            )
            % {"hint": _save_as_utf8_hint()},
            code="nul",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The characters of this CSV file cannot be read (unknown encoding). %(hint)s")
            % {"hint": _save_as_utf8_hint()},
            code="encoding",
        ) from None


def csv_table(data):
    """A CSV file's bytes as a table of strings; the delimiter is ; , or tab (first line)."""
    text = _decode(data)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": _human(MAX_ROWS)},
                    code="too_many_rows",
                )
            table.append(_table_row(cells, number))
    except csv.Error as error:
        line = _human(reader.line_num)
        if "field larger than field limit" in str(error):
            raise ValidationError(
                _("Row %(row)s has a cell longer than %(limit)s characters.")
                % {"row": line, "limit": _human(MAX_CELL_CHARS)},
                code="cell_too_long",
            ) from error
        raise ValidationError(
            _("Line %(row)s of this CSV file cannot be read (a quotation mark may be missing).")
            % {"row": line},
            code="csv_error",
        ) from error
    return table
