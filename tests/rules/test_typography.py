"""Québec typography: « 17 h 44 », « 1er avril 2022 », on every path that prints a date."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from indicators.rules.typography import date_text

AFTERNOON = datetime.datetime(2026, 12, 5, 17, 44)
MORNING = datetime.datetime(2026, 12, 5, 9, 5)
FIRST = datetime.date(2022, 4, 1)
SECOND = datetime.date(2022, 4, 2)


@pytest.fixture
def french():
    with translation.override("fr-ca"):
        yield


def test_french_time_is_24_hour_with_h(french):
    assert formats.date_format(AFTERNOON, "TIME_FORMAT") == "17\xa0h\xa044"
    assert formats.date_format(MORNING, "TIME_FORMAT") == "9\xa0h\xa005"


def test_french_datetime_reads_day_month_year_then_time(french):
    assert date_text(AFTERNOON, "DATETIME_FORMAT") == "5 décembre 2026, 17\xa0h\xa044"


def test_first_of_the_month_is_1er_in_french(french):
    assert date_text(FIRST) == "1er avril 2022"
    assert date_text(SECOND) == "2 avril 2022"
    assert date_text(datetime.datetime(2022, 4, 1, 0, 0), "DATETIME_FORMAT") == (
        "1er avril 2022, 0\xa0h\xa000"
    )


def test_first_of_the_month_stays_plain_in_english():
    with translation.override("en"):
        assert date_text(FIRST) == "April 1, 2022"


def test_numbers_keep_comma_and_thin_grouping(french):
    assert formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == (
        "1\xa0234,5"
    )


def test_template_date_filter_writes_1er_and_escapes_literals(french):
    template = Template('{{ first|date:"DATE_FORMAT" }}|{{ first|date:"j F Y" }}|{{ when|date }}')
    rendered = template.render(Context({"first": FIRST, "when": SECOND}))
    assert rendered == "1er avril 2022|1er avril 2022|2 avril 2022"


def test_template_date_filter_leaves_escaped_j_alone(french):
    rendered = Template(r'{{ first|date:"\j j" }}').render(Context({"first": FIRST}))
    assert rendered == "j 1er"


def test_template_date_filter_of_nothing_is_empty(french):
    assert Template("{{ missing|date }}").render(Context({})) == ""
