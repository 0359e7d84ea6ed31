"""The entry grid as a table (issue 20): one row per indicator labelled by row and column,
« not measured » and the story in the row, the period's progress, the missing-only filter,
reads in a fixed number of queries, and pages whose forms never exceed Django's field limit."""

import re
from decimal import Decimal
from html.parser import HTMLParser

from django.conf import settings
from django.urls import reverse

from indicators.models import Indicator, MeasureKind, Measurement, MeasurementStatus
from indicators.recording.grid import FIELD_BUDGET, grid_pages, grid_rows
from indicators.recording.services import measurement_record
from tests import codes, factories


def grid_url(period, query=""):
    return reverse("indicators:measurement_grid", args=[period.pk]) + query


def row_url(period, indicator):
    return reverse("indicators:measurement_grid_row", args=[period.pk, indicator.pk])


class FormFields(HTMLParser):
    """What a browser without JavaScript posts from the grid's form, and every labelled
    input: (name, value) pairs, ids, aria-labelledby of visible inputs."""

    def __init__(self):
        super().__init__()
        self.fields, self.ids, self.labelled, self.unlabelled = [], set(), [], []
        self.labels_for, self.in_form, self.textarea, self.select = set(), False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag == "form" and "entry-grid" in (attrs.get("class") or ""):
            self.in_form = True
        if not self.in_form or tag not in ("input", "textarea", "select", "option"):
            return
        self._field(tag, attrs)

    def _field(self, tag, attrs):
        name = attrs.get("name")
        if tag == "option":
            if self.select is not None and "selected" in attrs:
                self.fields.append((self.select, attrs.get("value", "")))
            return
        if attrs.get("type") != "hidden":
            if attrs.get("aria-labelledby"):
                self.labelled.append(attrs["aria-labelledby"].split())
            elif attrs.get("id") not in self.labels_for:
                self.unlabelled.append(attrs.get("id"))
        if tag == "textarea":
            self.textarea = [name, ""]
        elif tag == "select":
            self.select = name
        elif attrs.get("type") != "checkbox" or "checked" in attrs:
            self.fields.append((name, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


def parsed(response):
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser


def as_post(fields, **typed):
    """The form's fields as a POST, with `typed` values replacing theirs."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in typed.items()})
    return data


def test_every_input_is_labelled_by_its_row_and_its_column(staff_client, staff_user, period):
    factories.measurement(codes.indicator("1.1"), period, staff_user, 3)

    page = parsed(staff_client.get(grid_url(period)))

    assert page.unlabelled == []
    assert len(page.labelled) > 19 * 3
    for ids in page.labelled:
        assert len(ids) == 2
        assert ids[0].startswith("h-")
        assert set(ids) <= page.ids


def test_the_reason_is_asked_only_in_rows_that_have_a_value(
    staff_client, staff_user, period, count_indicator
):
    factories.measurement(codes.indicator("1.1"), period, staff_user, 3)

    html = staff_client.get(grid_url(period)).content.decode()

    assert len(re.findall(r'name="i\d+-reason"', html)) == 1
    assert f'name="i{codes.indicator("1.1").pk}-reason"' in html


def test_not_measured_with_its_explanation_and_a_story_are_saved_from_the_plain_form(
    staff_client, period, count_indicator, tools_indicator
):
    fields = parsed(staff_client.get(grid_url(period))).fields
    count, tools = f"i{count_indicator.pk}", f"i{tools_indicator.pk}"

    data = as_post(
        fields,
        **{
            f"{count}-value": "12",
            f"{count}-narrative": "Trois nouveaux partenaires.",
            f"{tools}-status": "not_measured",
            f"{tools}-explanation": "Inventaire reporté.",
        },
    )
    response = staff_client.post(grid_url(period), data)

    assert response.status_code == 302
    saved = {m.indicator_id: m for m in Measurement.objects.filter(period=period)}
    assert set(saved) == {count_indicator.pk, tools_indicator.pk}
    assert (saved[count_indicator.pk].value, saved[count_indicator.pk].narrative) == (
        12,
        "Trois nouveaux partenaires.",
    )
    assert saved[tools_indicator.pk].status == MeasurementStatus.NOT_MEASURED
    assert saved[tools_indicator.pk].explanation == "Inventaire reporté."


def test_not_measured_without_its_explanation_is_refused_in_its_row(
    staff_client, period, count_indicator
):
    prefix = f"i{count_indicator.pk}"

    response = staff_client.post(
        row_url(period, count_indicator),
        {f"{prefix}-version": 0, f"{prefix}-status": "not_measured"},
    )

    assert response.status_code == 400
    assert response.json()["state"] == "error"
    assert "Expliquez pourquoi" in response.json()["html"]
    assert not Measurement.objects.exists()


def test_a_conflict_is_the_rows_state(staff_client, other_staff, period, count_indicator):
    measurement_record(indicator=count_indicator, period=period, user=other_staff, value=Decimal(8))
    prefix = f"i{count_indicator.pk}"

    response = staff_client.post(
        row_url(period, count_indicator), {f"{prefix}-version": 0, f"{prefix}-value": "9"}
    )

    assert response.json()["state"] == "conflict"
    assert "Luc Bouchard" in response.json()["html"]


def test_progress_counts_the_periods_values_and_the_row_answer_gives_it(
    staff_client, staff_user, period, count_indicator
):
    factories.measurement(codes.indicator("1.1"), period, staff_user, 3)
    html = staff_client.get(grid_url(period)).content.decode()
    assert "1 sur 20 saisis" in html
    prefix = f"i{count_indicator.pk}"

    answer = staff_client.post(
        row_url(period, count_indicator), {f"{prefix}-version": 0, f"{prefix}-value": "4"}
    ).json()

    assert answer["state"] == "saved"
    assert answer["progress"] == {"saved": 2, "total": 20}


def test_the_missing_only_filter_hides_the_rows_that_have_a_value(staff_client, staff_user, period):
    done = codes.indicator("1.1")
    factories.measurement(done, period, staff_user, 3)

    html = staff_client.get(grid_url(period, "?manquants=on")).content.decode()

    assert html.count('<tbody class="entry-row') == 18
    assert f'id="row-{done.pk}"' not in html


def test_grid_page_reads_in_the_same_number_of_queries_at_two_plan_sizes(
    staff_client, staff_user, period, django_assert_num_queries
):
    """Guards the page as a whole (rows, progress, filters, rendering): a query per row
    (levels, categories, breakdowns, previous values…) would grow with the plan."""
    factories.measurement(codes.indicator("1.1"), period, staff_user, 3)
    staff_client.get(grid_url(period))  # the session and the permissions are cached after
    with django_assert_num_queries(QUERIES):
        staff_client.get(grid_url(period))
    result = codes.result(1)
    for order in range(30, 45):
        kind = [MeasureKind.COUNT, MeasureKind.LEVEL, MeasureKind.COUNT_BY_CATEGORY][order % 3]
        made = factories.indicator(result, kind=kind, order=order, responsible=staff_user)
        if kind != MeasureKind.COUNT_BY_CATEGORY:
            factories.measurement(made, period, staff_user, 2)
            factories.measurement(made, codes.period("2018-2019"), staff_user, 2)
            factories.target(made, period, 4)
    with django_assert_num_queries(QUERIES):
        response = staff_client.get(grid_url(period))
    assert response.content.decode().count('<tbody class="entry-row') == 34


QUERIES = 18


def test_pages_keep_each_form_under_the_field_limit(plan_2018_2023, period, staff_user):
    rows = grid_rows(plan=plan_2018_2023, period=period, user=staff_user)

    pages = grid_pages(rows * 60)

    assert len(pages) > 1
    assert sum(len(page) for page in pages) == 19 * 60
    assert all(sum(row.field_count() for row in page) <= FIELD_BUDGET for page in pages)
    assert FIELD_BUDGET < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_a_grid_of_800_indicators_is_posted_without_javascript_and_never_answers_400(
    staff_client, plan_2018_2023, period
):
    result = codes.result(1)
    Indicator.objects.bulk_create(
        Indicator(
            result=result,
            order=100 + n,
            wording=f"Indicateur {n}",
            kind=MeasureKind.COUNT,
            kind_is_proposal=False,
        )
        for n in range(800)
    )
    first = staff_client.get(grid_url(period))
    pages = [grid_url(period)] + [
        grid_url(period, "?" + query.replace("&amp;", "&"))
        for query in re.findall(r'class="page-link" href="\?([^"]+)"', first.content.decode())
    ]
    statuses = []
    for url in dict.fromkeys(pages):
        page = parsed(staff_client.get(url))
        typed = {name: "1" for name, value in page.fields if name.endswith("-value") and not value}
        data = as_post(page.fields, **typed)
        assert sum(len(values) for values in data.values()) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        statuses.append(staff_client.post(url, data).status_code)

    assert len(pages) > 2
    assert set(statuses) == {302}
    on_first_orientation = Indicator.objects.filter(result__orientation=result.orientation)
    assert (
        Measurement.objects.filter(period=period).count()
        == on_first_orientation.filter(
            kind__in=[MeasureKind.COUNT, MeasureKind.PERCENTAGE, MeasureKind.AMOUNT]
        ).count()
    )
