import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from plan.roles import BOARD_GROUP, COORDINATION_GROUP, STAFF_GROUP, roles_declared


def _codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def _permissions(group_name):
    permissions = Group.objects.get(name=group_name).permissions
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


_READ = {
    *(
        f"plan.view_{model}"
        for model in ("strategicplan", "organisationalvalue", "orientation", "result", "strategy")
    ),
    *(
        f"indicators.view_{model}"
        for model in (
            "indicator",
            "dimension",
            "category",
            "scalelevel",
            "reportingperiod",
            "target",
            "measurement",
            "measurementbreakdown",
            "evidence",
            "strategyprogress",
        )
    ),
    "board.view_meeting",
    "board.view_meetingpack",
}
_RECORD = {
    f"indicators.{action}_{model}"
    for model in ("measurement", "measurementbreakdown", "evidence", "strategyprogress")
    for action in ("add", "change")
}
# Staff also prepare the board's meetings and read the plans being prepared (drafts).
_STAFF_ONLY = {"board.prepare_meeting", "plan.read_draft_plans"}


def test_the_roles_are_gathered_from_what_each_app_declares():
    """plan, indicators and board each declare their own models' part; plan names no app."""
    roles = roles_declared()
    assert set(roles) == {BOARD_GROUP, STAFF_GROUP, COORDINATION_GROUP}
    assert set(roles[BOARD_GROUP]) == _READ
    assert set(roles[STAFF_GROUP]) == _READ | _RECORD | _STAFF_ONLY
    assert set(roles[COORDINATION_GROUP]) == _READ | {"indicators.validate_measurement"}


@pytest.mark.django_db
def test_each_role_holds_exactly_the_permissions_its_apps_declare():
    assert _permissions(BOARD_GROUP) == _READ
    assert _permissions(STAFF_GROUP) == _READ | _RECORD | _STAFF_ONLY
    assert _permissions(COORDINATION_GROUP) == _READ | {"indicators.validate_measurement"}


@pytest.mark.django_db
def test_only_coordination_validates_values():
    """Issue 23: the role « Coordination » reads and validates; it records nothing."""
    assert "validate_measurement" in _codenames(COORDINATION_GROUP)
    assert "validate_measurement" not in _codenames(STAFF_GROUP) | _codenames(BOARD_GROUP)
    assert not {"add_measurement", "change_measurement"} & _codenames(COORDINATION_GROUP)


@pytest.mark.django_db
def test_board_can_only_read():
    codenames = _codenames(BOARD_GROUP)
    assert "view_measurement" in codenames
    assert all(codename.startswith("view_") for codename in codenames)


@pytest.mark.django_db
def test_staff_records_and_corrects_values_but_cannot_edit_the_plan():
    codenames = _codenames(STAFF_GROUP)
    assert {"add_measurement", "change_measurement", "add_evidence"} <= codenames
    assert not {"change_indicator", "change_result", "delete_measurement"} & codenames


@pytest.mark.django_db(transaction=True)
def test_roles_come_back_after_a_flush():
    """post_migrate gives every app's part back, as the data migration first made them."""
    call_command("flush", interactive=False, verbosity=0)
    assert _permissions(BOARD_GROUP) == _READ
    assert _permissions(STAFF_GROUP) == _READ | _RECORD | _STAFF_ONLY


@pytest.mark.django_db
def test_staff_prepare_board_meetings_and_everyone_reads_meetings_and_packs():
    staff, board = _codenames(STAFF_GROUP), _codenames(BOARD_GROUP)
    assert {"prepare_meeting", "view_meeting", "view_meetingpack"} <= staff
    assert {"view_meeting", "view_meetingpack"} <= board
    assert "prepare_meeting" not in board
    assert not {"delete_meetingpack", "change_meetingpack"} & (staff | board)


@pytest.mark.django_db(transaction=True)
def test_board_permissions_come_back_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert "prepare_meeting" in _codenames(STAFF_GROUP)
    assert "view_meetingpack" in _codenames(BOARD_GROUP)
