"""Fixtures of the security tests."""

import pytest

from indicators.board.services import meeting_create, meeting_present
from indicators.exports.services import export_request
from indicators.models import Evidence, MeasureKind, PreparedExportKind
from tests import codes


@pytest.fixture
def url_objects(recorded_data, staff_user):
    """Primary keys that make concrete paths of the patterns with parameters."""
    meeting = meeting_create(
        plan=recorded_data.period.plan,
        date=recorded_data.period.end_date,
        title="Rencontre du conseil",
        period=recorded_data.period,
        user=staff_user,
    )
    meeting_present(meeting=meeting, user=staff_user)
    # A prepared export (built at once by the tests' immediate backend), Marie's own.
    export = export_request(
        owner=staff_user,
        kind=PreparedExportKind.VALUES_CSV,
        params={"plan": recorded_data.period.plan_id},
    )
    exports = dict.fromkeys(
        ["indicators:export_detail", "indicators:export_status", "indicators:export_download"],
        export.pk,
    )
    meetings = dict.fromkeys(
        [
            "board:meeting_detail",
            "board:meeting_edit",
            "board:meeting_present",
            "board:meetingpack_detail",
            "board:meetingpack_print_css",
            "board:meetingpack_remove",
        ],
        meeting.pk,
    )
    return {
        **meetings,
        **exports,
        "indicators:evidence_download": Evidence.objects.get().pk,
        "indicators:indicator_detail": recorded_data.indicator_id,
        "board:orientation_detail": codes.orientation(1).pk,
        "board:result_detail": codes.result(1).pk,
        "indicators:strategyprogress_new": codes.strategy("1.1").pk,
        "years": recorded_data.period.plan.years,
        "indicators:measurement_grid": recorded_data.period_id,
        "indicators:measurement_grid_row": recorded_data.period_id,
        "indicators:measurement_grid_row:indicator": recorded_data.indicator_id,
    }


@pytest.fixture
def count_indicator(plan_2018_2023):
    """Indicator 1.1 refined into a plain count (the plan proposes a count by category)."""
    indicator = codes.indicator("1.1")
    indicator.kind, indicator.dimension = MeasureKind.COUNT, None
    indicator.save()
    return indicator
