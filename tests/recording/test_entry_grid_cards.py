"""What the entry grid writes for each row (issue 20), read from the page: a phone card says
each thing once (previous · target on one line, no column name where the card already says
it), the inputs' attributes written once in Python keep their labels, errors and escaping,
and the total of a count by category is the sum of its saved breakdown."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Category, MeasureKind
from tests import codes, factories
from tests.recording.test_entry_grid_table import QUERIES

pytestmark = pytest.mark.django_db


def grid_html(client, period):
    return client.get(reverse("indicators:measurement_grid", args=[period.pk])).content.decode()


def row_html(html, indicator):
    """The tbody of `indicator`'s row."""
    return re.search(rf'<tbody[^>]*id="row-{indicator.pk}".*?</tbody>', html, re.S).group(0)


def cell_tag(row, css):
    return re.search(rf'<td class="{css}[^"]*"[^>]*>', row).group(0)


def test_a_card_names_the_previous_value_and_the_target_once_on_one_line(
    staff_client, staff_user, period
):
    indicator = codes.indicator("1.1")
    factories.measurement(indicator, codes.period("2018-2019"), staff_user, 3)

    row = row_html(grid_html(staff_client, period), indicator)

    assert "data-label" not in cell_tag(row, "entry-facts")
    assert row.count("Précédente") == 1
    assert row.count("Cible") == 1
    assert len(re.findall(r'class="entry-fact"', row)) == 2


@pytest.mark.parametrize(
    ("language", "previous", "target"),
    [("fr", "Précédente : ", "Cible : "), ("en", "Previous: ", "Target: ")],
)
def test_a_card_punctuates_its_facts_in_the_readers_language(
    staff_client, period, language, previous, target
):
    staff_client.cookies["django_language"] = language
    row = row_html(grid_html(staff_client, period), codes.indicator("1.1"))

    assert f'<span class="entry-fact">{previous}' in row
    assert f'<span class="entry-fact">{target}' in row


def test_a_card_carries_a_column_name_only_where_the_input_needs_it(staff_client, period):
    row = row_html(grid_html(staff_client, period), codes.indicator("1.3"))

    # The value speaks for itself (a level, a number beside its unit, a total) and the
    # state is a badge: their column names are not repeated on the card.
    assert "data-label" not in cell_tag(row, "entry-value")
    assert "data-label" not in cell_tag(row, "entry-state")
    assert 'data-label="Non mesuré"' in cell_tag(row, "entry-nm")
    assert 'data-label="Récit"' in cell_tag(row, "entry-story")


def test_the_total_of_a_count_by_category_is_the_sum_of_its_saved_breakdown(
    staff_client, staff_user, period, tools_indicator, categories
):
    factories.measurement(
        tools_indicator,
        period,
        staff_user,
        breakdown={categories[0]: Decimal("3"), categories[1]: Decimal("4.5")},
    )

    row = row_html(grid_html(staff_client, period), tools_indicator)

    assert f'<output class="fw-bold" id="total-{tools_indicator.pk}">7,5</output>' in row
    assert f'name="i{tools_indicator.pk}-cat_{categories[0].pk}"' in row
    assert 'value="4,5"' in row


def test_a_category_name_is_escaped_in_its_label(staff_client, period, tools_indicator):
    Category.objects.create(
        dimension=tools_indicator.dimension, name='Jeunes <18 & "autres"', order=99
    )

    row = row_html(grid_html(staff_client, period), tools_indicator)

    assert "Jeunes &lt;18 &amp; &quot;autres&quot;" in row
    assert "<18" not in row


def test_a_refused_number_is_marked_invalid_and_described_by_its_error(
    staff_client, period, count_indicator
):
    prefix = f"i{count_indicator.pk}"

    answer = staff_client.post(
        reverse("indicators:measurement_grid_row", args=[period.pk, count_indicator.pk]),
        {f"{prefix}-version": 0, f"{prefix}-value": "douze"},
    ).json()

    field = re.search(rf'<input [^>]*name="{prefix}-value"[^>]*>', answer["html"]).group(0)
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="id_{prefix}-value-error"' in field
    assert 'class="form-control form-control-sm is-invalid"' in field
    assert (
        f'<p class="invalid-feedback d-block mb-0" id="id_{prefix}-value-error">' in answer["html"]
    )


def test_rows_with_breakdowns_levels_and_previous_values_read_in_constant_queries(
    staff_client, staff_user, period, django_assert_num_queries
):
    """Guards the related rows read without their default ordering (levels, categories,
    breakdowns, previous values, targets): each is one query for the page, at two sizes."""
    result = codes.result(1)
    before = codes.period("2018-2019")
    staff_client.get(reverse("indicators:measurement_grid", args=[period.pk]))

    def grow(orders):
        for order in orders:
            kind = [MeasureKind.LEVEL, MeasureKind.COUNT_BY_CATEGORY][order % 2]
            made = factories.indicator(result, kind=kind, order=order, responsible=staff_user)
            if kind == MeasureKind.LEVEL:
                factories.measurement(made, period, staff_user, 2)
                factories.measurement(made, before, staff_user, 3)
                continue
            first, second, _other = made.dimension.categories.all()
            factories.measurement(made, period, staff_user, breakdown={first: 1, second: 2})
            factories.measurement(made, before, staff_user, breakdown={first: 4})
            factories.target(made, period, 5)

    grow(range(30, 32))
    with django_assert_num_queries(QUERIES):
        small = grid_html(staff_client, period)
    grow(range(32, 42))
    with django_assert_num_queries(QUERIES):
        large = grid_html(staff_client, period)

    assert small.count('<tbody class="entry-row') + 10 == large.count('<tbody class="entry-row')
    assert large.count('<span class="badge text-bg-success">saisi</span>') == 12
