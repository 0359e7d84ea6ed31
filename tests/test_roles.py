import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from plan.roles import BOARD_GROUP, STAFF_GROUP


def _codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


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
    call_command("flush", interactive=False, verbosity=0)
    assert "add_measurement" in _codenames(STAFF_GROUP)
    assert "view_strategicplan" in _codenames(BOARD_GROUP)


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
