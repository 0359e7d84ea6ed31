"""The administration's own forms (the plan, its indicators, periods) pass axe-core, and its
tool buttons never cover a page's title."""

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
        reverse("admin:index"),
        reverse("admin:indicators_indicator_change", args=[codes.indicator("1.3").pk]),
        reverse("admin:indicators_indicator_add"),
        reverse("admin:plan_result_change", args=[codes.result(1).pk]),
        reverse("admin:indicators_reportingperiod_changelist"),
        reverse("admin:plan_strategicplan_changelist"),
        reverse("admin:plan_strategicplan_change", args=[plan_2018_2023.pk]),
        reverse("admin:plan_strategicplan_copy", args=[plan_2018_2023.pk]),
    ]:
        page.goto(f"{live_server.url}{url}")
        violations = serious_violations(page)
        if violations:
            found[url] = violations
    assert found == {}


def overlap(first, second):
    """Whether two bounding boxes share any area."""
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_the_plan_lists_tool_buttons_never_cover_its_title(
    page, live_server, log_in, admin_user, plan_2018_2023, artifacts_dir, width
):
    log_in(page, "admin", "password")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{reverse('admin:plan_strategicplan_changelist')}")

    title = page.locator("#content h1")
    tools = page.locator(".object-tools li")
    assert title.inner_text() == "Choisir le plan stratégique à modifier"
    assert tools.count() == 3
    covered = [
        tool.inner_text()
        for tool in tools.all()
        if overlap(title.bounding_box(), tool.bounding_box())
    ]
    page.screenshot(path=artifacts_dir / f"admin-plans-{width}.png")
    assert covered == []
