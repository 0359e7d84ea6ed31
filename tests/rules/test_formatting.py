"""The one formatter: numbers, units, amounts, percentages, levels and the empty value."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.rules import formatting
from indicators.rules.formatting import EMPTY, Formatter, format_number, trim

LEVELS = [(1, "Découverte"), (2, "Compréhension"), (3, "Expérimentation")]


@pytest.fixture
def french():
    with translation.override("fr-ca"):
        yield Formatter.active()


@pytest.fixture
def english():
    with translation.override("en"):
        yield Formatter.active()


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (Decimal("1234.5"), "1\xa0234,5", "1,234.5"),
        (Decimal("12.50"), "12,5", "12.5"),
        (Decimal("12.00"), "12", "12"),
        (Decimal("1234567"), "1\xa0234\xa0567", "1,234,567"),
        (Decimal("999"), "999", "999"),
        (Decimal("0.25"), "0,25", "0.25"),
        (Decimal("0.125"), "0,13", "0.13"),  # at most two decimals, halves round up
        (Decimal("-1234.5"), "-1\xa0234,5", "-1,234.5"),
        (Decimal("1E+2"), "100", "100"),
        (7, "7", "7"),
        (2.5, "2,5", "2.5"),
        ("3.10", "3,1", "3.1"),
    ],
)
def test_numbers_in_french_and_in_english(french, english, value, fr, en):
    assert french.number(value) == fr
    assert english.number(value) == en


def test_the_empty_value_is_one_em_dash_everywhere(french, english):
    """Settled: the charts and the board printed "–", the indicator pages "—"; "—" it is."""
    assert EMPTY == "—"
    for fmt in (french, english):
        assert fmt.number(None) == EMPTY
        assert fmt.number("") == EMPTY
        assert fmt.percent(None) == EMPTY
        assert fmt.percentage(None) == EMPTY
        assert fmt.amount(None) == EMPTY
        assert fmt.quantity(None, "outils") == EMPTY
        assert fmt.level(None, LEVELS) == EMPTY
        assert fmt.text("  ") == EMPTY
        assert fmt.text(None) == EMPTY
    assert fmt.text("Une note") == "Une note"


def test_percentages_amounts_and_units(french, english):
    assert french.percent(Decimal("95.94")) == "95,9\xa0%"
    assert french.percent(Decimal("12.45")) == "12,5\xa0%"  # halves round up
    assert french.percent(Decimal(100)) == "100\xa0%"
    assert english.percent(Decimal("95.94")) == "95.9%"
    assert french.percentage(Decimal("12.25")) == "12,25\xa0%"  # a measured value, as typed
    assert english.percentage(Decimal("12.25")) == "12.25%"
    assert french.amount(Decimal("1234.5")) == "1\xa0234,50\xa0$"
    assert english.amount(Decimal("1234.5")) == "$1,234.50"
    assert english.amount(Decimal("-3")) == "-$3.00"
    assert french.quantity(Decimal("1150.50"), "outils") == "1\xa0150,5\xa0outils"
    assert english.quantity(Decimal("1150.50"), "tools") == "1,150.5\xa0tools"
    assert french.quantity(Decimal(3), "") == "3"


def test_level_labels(french, english):
    assert french.level(3, LEVELS) == "3 – Expérimentation"
    assert french.level(Decimal("2.00"), LEVELS) == "2 – Compréhension"
    assert english.level(1, LEVELS) == "1 – Découverte"
    assert french.level(7, LEVELS) == "7"  # not on the scale: the number alone
    assert french.level(3, []) == "3"


def test_trim_replaces_the_copies_of_decimal_trimming():
    assert trim(Decimal("12.50")) == Decimal("12.5")
    assert str(trim(Decimal("12.00"))) == "12"
    assert str(trim(Decimal("1E+2"))) == "100"
    assert trim(None) is None
    assert trim("") is None
    assert formatting.round_percent(Decimal("95.95")) == Decimal("96.0")
    assert formatting.round_percent(None) is None


def test_the_language_separators_are_read_once_per_formatter(monkeypatch):
    """A chart table or an export formats hundreds of numbers: the locale is read once."""
    reads = []
    real = formatting.get_format

    def counting_get_format(name, *args, **kwargs):
        reads.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(formatting, "get_format", counting_get_format)
    with translation.override("fr-ca"):
        fmt = Formatter.active()
        texts = [fmt.number(Decimal(n) / 4) for n in range(500)]
        texts += [fmt.percent(Decimal(n)) for n in range(100)]
    assert texts[5] == "1,25"
    assert sorted(reads) == ["DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR"]


def test_template_filters_are_thin_wrappers_of_the_formatter():
    template = Template(
        "{% load indicator_format board %}"
        "{{ n|decimal_fr }}|{{ n|fr_number }}|{{ p|fr_percent }}|{{ none|fr_number }}|"
        "{{ blank|or_empty }}|{% empty_value %}"
    )
    context = Context({"n": Decimal("1234.50"), "p": Decimal("95.94"), "none": None, "blank": ""})
    with translation.override("fr-ca"):
        assert template.render(context) == "1\xa0234,5|1\xa0234,5|95,9\xa0%|—|—|—"
    with translation.override("en"):
        assert template.render(context) == "1,234.5|1,234.5|95.9%|—|—|—"
    assert format_number(None) == "—"
