"""Presenting a meeting freezes its pack, and the board members who opted in get its digest."""

import datetime

from django.utils import timezone

from indicators.board import services
from plan.roles import BOARD_GROUP
from tests.notifications.conftest import set_profile
from tests.smtp_server import subject_of, text_of


def test_a_frozen_pack_reaches_opted_in_board_members_with_its_attention_points(
    board_data,
    plan_2018_2023,
    staff_user,
    board_user,
    make_member,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    board_user.email = "andre@tiess.test"
    board_user.save()
    set_profile(board_user, board_digest_opt_in=True)
    sophie = make_member("sophie", BOARD_GROUP, password="x", email="sophie@tiess.test")
    set_profile(sophie, board_digest_opt_in=False)
    meeting = services.meeting_create(
        plan=plan_2018_2023,
        date=timezone.localdate() - datetime.timedelta(days=3),
        title="Rencontre de juin",
        period=board_data["second"],
        user=staff_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.meeting_present(meeting=meeting, user=staff_user)
    (message,) = smtp_server.messages
    assert message["To"] == "andre@tiess.test"
    assert subject_of(message).startswith(
        "[Suivi TIESS] Dossier de la rencontre : Rencontre de juin, "
    )
    text = text_of(message)
    late = board_data["late"]
    assert f"en retard – {late.wording}" in text
    assert f"https://suivi.tiess.test{pack.get_absolute_url()}" in text


def test_a_pack_that_rolls_back_sends_nothing(
    board_data, plan_2018_2023, staff_user, board_user, smtp_server
):
    """Without a commit (the test's transaction), no digest leaves."""
    board_user.email = "andre@tiess.test"
    board_user.save()
    set_profile(board_user, board_digest_opt_in=True)
    meeting = services.meeting_create(
        plan=plan_2018_2023,
        date=timezone.localdate(),
        title="Rencontre",
        period=board_data["second"],
        user=staff_user,
    )
    services.meeting_present(meeting=meeting, user=staff_user)
    assert smtp_server.messages == []
