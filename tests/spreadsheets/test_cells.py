"""The one cell codec: what goes into a file comes back exactly, and never runs as a formula."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from indicators.spreadsheets.cells import FORMULA_STARTS, cell_in, cell_out, xlsx_in, xlsx_out

# Texts that start like a formula, like a protection, or with spaces, then anything.
STARTS = ["'", "''", "=", "+", "-", "@", "\t", "\r", "\n", " ", "'=", "'-1", "_x000D_"]
texts = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(STARTS), st.text()).map("".join),
)


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A1", "\t=1", "\r=1", "'", "'=x", "''"])
def test_a_formula_start_or_an_apostrophe_gets_one_apostrophe_in_front(text):
    assert cell_out(text) == "'" + text


@pytest.mark.parametrize("text", [" =1", "x ", "\n", " "])
def test_spaces_at_either_end_are_protected_from_the_trimming(text):
    assert cell_out(text) == "'" + text
    assert cell_in(" " + text + " ") != text  # an unprotected cell is trimmed…
    assert cell_in(cell_out(text)) == text  # …a protected one is not


@pytest.mark.parametrize("text", ["", "1-2", "Texte", "a'b", "12,5", "x=y"])
def test_other_texts_are_written_as_they_are(text):
    assert cell_out(text) == text
    assert cell_in(text) == text


def test_reading_removes_exactly_one_apostrophe_and_trims_what_is_not_protected():
    assert cell_in("'=x") == "=x"
    assert cell_in("''=x") == "'=x"
    assert cell_in("'abc") == "abc"  # a person's own apostrophe means “as typed”, as in Excel
    assert cell_in("'") == ""
    assert cell_in("  1.2 ") == "1.2"
    assert cell_in("' 1.2 ") == " 1.2 "


@given(texts)
def test_every_text_round_trips_through_the_codec(text):
    written = cell_out(text)
    assert not written.startswith(FORMULA_STARTS)
    assert cell_in(written) == text


def test_xlsx_escapes_what_xml_cannot_hold_and_reads_it_back():
    assert xlsx_out("a\rb\x07") == "a_x000D_b_x0007_"
    assert xlsx_out("a_x000D_b") == "a_x005F_x000D_b"  # a literal escape stays literal
    assert xlsx_out("a_b_x12") == "a_b_x12"
    assert xlsx_in("a_x000d_b") == "a\rb"  # Excel's own files
    assert xlsx_in("a_x005F_x000D_b") == "a_x000D_b"


# Characters Python can hold but no XML file can: lone surrogates.
xml_texts = texts.filter(lambda text: not any("\ud800" <= c <= "\udfff" for c in text))


@given(st.lists(xml_texts, min_size=1, max_size=5))
def test_every_text_round_trips_through_a_real_xlsx_file(cells):
    """Through openpyxl, which reads a carriage return back as a line feed unless escaped."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Feuille")
    sheet.append([xlsx_out(cell_out(text)) for text in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).worksheets[0]
    values = next(read.iter_rows(values_only=True))
    assert [cell_in(xlsx_in(value or "")) for value in values] == cells
