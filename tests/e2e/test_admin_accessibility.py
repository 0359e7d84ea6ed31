"""The administration's own forms (the plan, its indicators, periods) pass axe-core."""

import pytest
from django.urls import reverse

from tests import codes
from tests.e2e.test_board_reading import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_admin_forms_of_the_plan_have_no_serious_accessibility_violation(
    page, live_server, log_in, admin_user, plan_2018_2023
):
    log_in(page, "admin", "password")
    found = {}
    for url in [
        reverse("admin:indicators_indicator_change", args=[codes.indicator("1.3").pk]),
        reverse("admin:indicators_indicator_add"),
        reverse("admin:plan_result_change", args=[codes.result(1).pk]),
        reverse("admin:indicators_reportingperiod_changelist"),
        reverse("admin:plan_strategicplan_change", args=[plan_2018_2023.pk]),
    ]:
        page.goto(f"{live_server.url}{url}")
        violations = serious_violations(page)
        if violations:
            found[url] = violations
    assert found == {}
