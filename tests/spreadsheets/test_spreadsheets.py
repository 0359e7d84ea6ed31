"""The one spreadsheet writer: typed cells, neutralised text, French CSV, streamed output."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from indicators.spreadsheets.writer import Column, Sheet, csv_cell, csv_lines, xlsx_write


def test_csv_cells_use_the_french_decimal_comma_and_plain_numbers():
    assert csv_cell(Decimal("12.50")) == "12,5"
    assert csv_cell(Decimal("3.00")) == "3"
    assert csv_cell(Decimal("1E+1")) == "10"
    assert csv_cell(7) == "7"
    assert csv_cell(None) == ""
    assert csv_cell(datetime.datetime(2024, 3, 31, 23, 59)) == "2024-03-31 23:59"
    assert csv_cell("=2+2") == "'=2+2"


def test_csv_streams_in_chunks_with_the_bom_and_header_first():
    columns = [Column("a", "Colonne A"), Column("b", "=B")]
    chunks = list(csv_lines(columns, ({"a": n, "b": "x"} for n in range(1201))))
    assert chunks[0] == "\ufeffColonne A;'=B\r\n"
    assert len(chunks) == 1 + 3  # 500 + 500 + 201 rows
    assert chunks[-1].endswith("1200;x\r\n")


def test_xlsx_types_cells_and_never_writes_a_formula():
    buffer = io.BytesIO()
    sheet = Sheet(
        title="Valeurs",
        preamble=["Titre", "Période : 2019-2020"],
        columns=[Column("text", "Texte", 40), Column("number", "Nombre", 12, "0.0")],
        rows=[
            {"text": '=HYPERLINK("x")', "number": Decimal("2.50")},
            {"text": "bip\x07 \x00fin", "number": None},
            {"text": datetime.date(2024, 4, 1), "number": 3},
        ],
    )
    xlsx_write([sheet], buffer)
    ws = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert ws["A1"].value == "Titre"
    assert [c.value for c in ws[4]] == ["Texte", "Nombre"]
    assert ws.freeze_panes == "A5"
    first = ws[5]
    assert (first[0].value, first[0].data_type) == ('\'=HYPERLINK("x")', "s")
    assert (first[1].value, first[1].number_format) == (2.5, "0.0")
    # Control characters cannot be XML: escaped as Excel does (_xHHHH_), not a failed file.
    assert ws[6][0].value == "bip_x0007_ _x0000_fin"
    assert ws[7][0].value == datetime.datetime(2024, 4, 1)


def test_xlsx_columns_keep_their_declared_widths_and_formats_are_shared():
    buffer = io.BytesIO()
    columns = [Column("a", "A", 14), Column("b", "B", 50), Column("c", "C", 12, "0.0")]
    rows = [{"a": "x", "b": "long texte", "c": Decimal(n)} for n in range(50)]
    xlsx_write([Sheet(title="Feuille", columns=columns, rows=rows)], buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = workbook.active
    assert [ws.column_dimensions[letter].width for letter in "ABC"] == [14, 50, 12]
    assert ws["B2"].alignment.wrap_text
    assert ws["C2"].number_format == "0.0"
    # One format per kind of cell, not one per cell: header, wrapped text, number (+ default).
    assert len(workbook._cell_styles) <= 6
