"""A corpus of hostile files, built by the tests themselves (nothing downloaded or stored).

Zip bombs are written by hand: a member's deflate stream is one compressed block of 16 MiB
repeated (each block ends with a full flush, so the blocks are independent), which makes a
1 GiB member out of about 1 MB without ever holding 1 GiB in memory. Every archive can also
lie about its sizes (`declared_size`), to check that nothing trusts them.
"""

import io
import re
import struct
import zlib
from dataclasses import dataclass

from openpyxl import Workbook

MIB = 1024 * 1024
GIB = 1024 * MIB
UNIT = 16 * MIB

HEADER = ["code", "period", "status", "value", "comment"]


@dataclass
class Member:
    name: str
    data: bytes  # raw deflate stream (method 8) or the bytes themselves (method 0)
    crc: int
    size: int
    method: int = 8
    declared_size: int | None = None  # what the archive says, when it lies


def deflated(name, content):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Member(name, data, zlib.crc32(content), len(content))


def stored(name, content):
    return Member(name, content, zlib.crc32(content), len(content), method=0)


def _block(content, mode=zlib.Z_FULL_FLUSH):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(mode)


def inflating(name, prefix, size, suffix=b"", filler=b"A"):
    """A member of about `size` bytes: prefix, `filler` repeated, suffix."""
    count = max((size - len(prefix) - len(suffix)) // UNIT, 1)
    unit = filler * (UNIT // len(filler))
    block = _block(unit)
    data = io.BytesIO()
    data.write(_block(prefix))
    crc = zlib.crc32(prefix)
    for _ in range(count):
        data.write(block)
        crc = zlib.crc32(unit, crc)
    data.write(_block(suffix, zlib.Z_FINISH))
    crc = zlib.crc32(suffix, crc)
    return Member(name, data.getvalue(), crc, len(prefix) + count * UNIT + len(suffix))


def zip_bytes(members):
    """A zip archive of the members (local headers, central directory, end record)."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for member in members:
        name = member.name.encode()
        size = member.size if member.declared_size is None else member.declared_size
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, member.method, 0, 0x21,
                member.crc, len(member.data), size, len(name), 0,
            )
        )  # fmt: skip
        out.write(name)
        out.write(member.data)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, member.method, 0, 0x21,
                member.crc, len(member.data), size, len(name), 0, 0, 0, 0, 0, offset,
            )
        )  # fmt: skip
        directory.write(name)
    start = out.tell()
    out.write(directory.getvalue())
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
            len(directory.getvalue()), start, 0,
        )
    )  # fmt: skip
    return out.getvalue()


# --- XLSX ------------------------------------------------------------------------------------


def workbook_bytes(rows, header=HEADER):
    """A real XLSX written by openpyxl (shared strings, styles…)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_members(rows=(), header=HEADER):
    """The members of a real XLSX, as {name: bytes}, to be altered and zipped again."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(workbook_bytes(rows, header))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(parts, *, replace=None):
    """Zip {name: bytes} again; `replace` maps names to ready Members (bombs)."""
    replace = replace or {}
    members = [replace.get(name) or deflated(name, content) for name, content in parts.items()]
    members += [member for name, member in replace.items() if name not in parts]
    return zip_bytes(members)


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(rows_xml, dimension="A1:E2", extra=""):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData>{extra}</worksheet>'
    ).encode()


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row():
    cells = "".join(inline(f"{col}1", name) for col, name in zip("ABCDE", HEADER, strict=True))
    return f'<row r="1">{cells}</row>'


def xlsx_with_sheet(sheet, **replace_parts):
    parts = workbook_members()
    parts["xl/worksheets/sheet1.xml"] = sheet
    parts.update(replace_parts)
    return rezip(parts)


def xlsx_with_cell(cell_xml, code="1.1", period="2018-2019"):
    """A sheet whose row 2 holds `cell_xml` as its value cell (column D)."""
    row = (
        f'<row r="2">{inline("A2", code)}{inline("B2", period)}{inline("C2", "recorded")}'
        f"{cell_xml}</row>"
    )
    return xlsx_with_sheet(sheet_xml(header_row() + row))


def xlsx_shared_strings_bomb(size=GIB):
    """A 1 MB XLSX whose shared strings inflate to `size` (sizes told honestly)."""
    parts = workbook_members()
    prefix = f'<sst xmlns="{SHEET_NS}" count="6" uniqueCount="6"><si><t>'.encode()
    bomb = inflating("xl/sharedStrings.xml", prefix, size, b"</t></si></sst>")
    return rezip(parts, replace={"xl/sharedStrings.xml": bomb})


def xlsx_shared_strings_bomb_lying(size=GIB):
    """The same bomb, declaring only 1 KiB: zipfile stops at the declared size."""
    parts = workbook_members()
    prefix = f'<sst xmlns="{SHEET_NS}" count="6" uniqueCount="6"><si><t>'.encode()
    bomb = inflating("xl/sharedStrings.xml", prefix, size, b"</t></si></sst>")
    bomb.declared_size = 1024
    return rezip(parts, replace={"xl/sharedStrings.xml": bomb})


def xlsx_declaring_whole_sheet():
    """A 1.5 KB XLSX whose sheet declares A1:XFD1048576."""
    parts = workbook_members()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', sheet
    ).encode()
    return rezip(parts)


def xlsx_without_dimension_far_row():
    """No dimension, and a last row numbered 1 048 576: openpyxl would fill the gap."""
    rows = header_row() + f'<row r="1048576">{inline("A1048576", "x")}</row>'
    return xlsx_with_sheet(sheet_xml(rows).replace(b'<dimension ref="A1:E2"/>', b""))


def xlsx_wide_row(cells=200_000):
    """One row of many cells: each is tiny in XML, large once parsed."""
    row = '<row r="2">' + "<c/>" * cells + "</row>"
    return xlsx_with_sheet(sheet_xml(header_row() + row))


def xlsx_styles_bomb(styles=150_000):
    """styles.xml listing hundreds of thousands of cell formats (parsed as one tree)."""
    xfs = "<xf/>" * styles
    styles_xml = (
        f'<styleSheet xmlns="{SHEET_NS}"><cellXfs count="{styles}">{xfs}</cellXfs></styleSheet>'
    ).encode()
    return xlsx_with_sheet(sheet_xml(header_row()), **{"xl/styles.xml": styles_xml})


def xlsx_billion_laughs():
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};">' for i in range(1, 12)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1">'
        f'<c r="A1" t="inlineStr"><is><t>&a11;</t></is></c></row></sheetData></worksheet>'
    ).encode()
    return xlsx_with_sheet(sheet)


def many_members(count=60_000):
    """A zip of tens of thousands of empty members (the central directory is the bomb)."""
    return zip_bytes([stored(f"m{i}.xml", b"") for i in range(count)])


# --- OpenDocument evidence ------------------------------------------------------------------

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def odt_bytes(mimetype_member=None):
    """A minimal ODT; `mimetype_member` replaces its (stored) mimetype member."""
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
    )
    return zip_bytes(
        [
            mimetype_member or stored("mimetype", ODT_MIMETYPE),
            deflated("content.xml", b"<office:document-content/>"),
            deflated("META-INF/manifest.xml", manifest),
        ]
    )


def odt_mimetype_bomb(size=2 * GIB):
    """A 2 MB ODT whose `mimetype` member inflates to 2 GiB (sizes told honestly)."""
    return odt_bytes(inflating("mimetype", ODT_MIMETYPE, size, filler=b" "))


def odt_mimetype_bomb_lying(size=2 * GIB):
    member = inflating("mimetype", ODT_MIMETYPE, size, filler=b" ")
    member.declared_size = len(ODT_MIMETYPE)
    return odt_bytes(member)


# --- CSV --------------------------------------------------------------------------------------

CSV_HEADER = "code;period;status;value;comment\r\n"


def csv_rows(count, row="1.1;2018-2019;recorded;1;\r\n"):
    return (CSV_HEADER + row * count).encode()


HUGE_NUMBERS = [
    "1e6000000",
    "1e999999999",
    "1E+400",
    "NaN",
    "-Infinity",
    "Infinity",
    "sNaN",
    "9" * 30,
    "1" + "0" * 5000,
    "0." + "0" * 5000 + "1",
    "1e-999999999",
]


def xlsx_full_at_the_caps(rows=4_999, columns=21):
    """The largest table accepted: header + rows × columns of text and numbers."""
    header = [f"col{i}" for i in range(columns)]
    header[:5] = HEADER
    body = [
        ["1.1", "2018-2019", "recorded", row, f"Commentaire {row}"]
        + [f"texte {row}-{i}" for i in range(5, columns)]
        for row in range(rows)
    ]
    return workbook_bytes(body, header)


def broken_zip():
    """Starts like a zip, has no central directory."""
    return b"PK\x03\x04" + b"\x00" * 200
