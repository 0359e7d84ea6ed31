"""Every text of a plan's structure comes back exactly from its workbook (export → import)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indicators.lifecycle.workbook import XLSX_CONTENT_TYPE, plan_workbook, read_workbook
from indicators.lifecycle.workbook_import import plan_import
from indicators.models import MeasureKind
from tests import factories
from tests.plan_structure import plan_structure

STARTS = ["'", "''", "'=", "'-1", "=", "+", "-", "@", "\t", "\r", "\r\n", " ", "_x000D_"]
# Any text a database holds: UTF-8 (no lone surrogate), no NUL (PostgreSQL refuses it).
ANY = st.characters(codec="utf-8", exclude_characters="\x00")
texts = st.one_of(
    st.text(alphabet=ANY, min_size=1, max_size=40),
    st.tuples(st.sampled_from(STARTS), st.text(alphabet=ANY, max_size=20)).map("".join),
)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=texts, statement=texts, wording=texts, label=texts, strategy=texts)
@example(title="'=x", statement="'-1", wording="\r=1+1", label=" ", strategy="''")
def test_every_text_of_the_structure_round_trips_through_the_workbook(
    title, statement, wording, label, strategy
):
    with transaction.atomic():
        source = factories.plan(start_year=2030, end_year=2032, mission=wording)
        result = factories.result(factories.orientation(source, title=title), statement=statement)
        factories.indicator(
            result, kind=MeasureKind.LEVEL, wording=wording, definition=label, levels={1: label}
        )
        factories.strategy(result.orientation, text=strategy, results=[result])
        upload = SimpleUploadedFile(
            "structure.xlsx", plan_workbook(source), content_type=XLSX_CONTENT_TYPE
        )

        imported = plan_import(
            rows=read_workbook(upload),
            title="Plan importé",
            start_year=2040,
            end_year=2042,
            dry_run=False,
        )

        assert imported.is_valid, [str(error) for error in imported.errors]
        assert plan_structure(imported.plan) == plan_structure(source)
        transaction.set_rollback(True)
