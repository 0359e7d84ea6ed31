"""Every text comes back exactly from an export → import, through the real files (CSV, XLSX)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from indicators.models import Measurement, MeasurementStatus
from indicators.recording.services import measurement_record
from tests import codes

ROUND_TRIP = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STARTS = ["'", "''", "'=", "'-1", "=", "+", "-", "@", "\t", "\r", "\r\n", " ", "_x000D_"]
# Any text a database holds (UTF-8: no lone surrogate; no NUL, which PostgreSQL refuses),
# often with a start to protect.
ANY = st.characters(codec="utf-8", exclude_characters="\x00")
texts = st.one_of(
    st.text(alphabet=ANY, max_size=60),
    st.tuples(st.sampled_from(STARTS), st.text(alphabet=ANY, max_size=30)).map("".join),
)


def stored_texts():
    return sorted(
        Measurement.objects.values_list("period__name", "narrative", "explanation", "comment")
    )


def export_then_import(client, extension):
    exported = client.get(f"/saisie/export.{extension}").getvalue()
    Measurement.objects.all().delete()
    upload = SimpleUploadedFile(f"valeurs.{extension}", exported)
    preview = client.post("/saisie/import/", {"file": upload}).context["preview"]
    assert preview.is_valid, [row.errors for row in preview.rows]
    client.post("/saisie/import/", {"confirm": "1", "token": preview.token})


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@ROUND_TRIP
@given(comment=texts, narrative=texts, explanation=texts)
@example(comment="'=x", narrative="'-1", explanation="\r=1+1")
@example(comment="''", narrative=" en retrait ", explanation="\tonglet_x000D_")
def test_every_text_of_a_value_round_trips_through_the_file(
    staff_client, staff_user, count_indicator, extension, comment, narrative, explanation
):
    assume(explanation.strip())  # a value not measured needs an explanation
    Measurement.objects.all().delete()
    measured, not_measured = codes.period("2019-2020"), codes.period("2020-2021")
    measurement_record(
        indicator=count_indicator,
        period=measured,
        user=staff_user,
        value=3,
        narrative=narrative,
        comment=comment,
        version=0,
    )
    measurement_record(
        indicator=count_indicator,
        period=not_measured,
        user=staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation=explanation,
        comment=comment,
        version=0,
    )
    before = stored_texts()

    export_then_import(staff_client, extension)

    assert stored_texts() == before
