"""Each person's e-mail preferences page (/compte/rappels/), linked from the user menu."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import Profile

URL = "/compte/rappels/"


def test_the_user_menu_links_to_the_preferences(staff_client):
    page = staff_client.get("/plan/").text
    assert f'href="{URL}"' in page
    assert "Mes courriels" in page


def test_staff_change_language_reminders_and_notice(staff_client, staff_user):
    page = staff_client.get(URL)
    assert page.status_code == 200
    assert "board_digest_opt_in" not in page.text  # the digest is for the board
    response = staff_client.post(URL, {"language": "en", "reminder_days_before": "3"})
    assert response.status_code == 302
    profile = Profile.objects.get(user=staff_user)
    assert (profile.language, profile.reminders_enabled, profile.reminder_days_before) == (
        "en",
        False,
        3,
    )
    assert profile.board_digest_opt_in is False


def test_board_members_opt_in_to_the_digest(board_client, board_user):
    assert "board_digest_opt_in" in board_client.get(URL).text
    board_client.post(URL, {"language": "fr-ca", "board_digest_opt_in": "on"})
    assert Profile.objects.get(user=board_user).board_digest_opt_in is True


def test_board_members_are_not_offered_reminders_to_record_values(board_client):
    page = board_client.get(URL).text
    assert "reminders_enabled" not in page
    assert "reminder_days_before" not in page


def test_staff_are_offered_reminders_and_not_the_digest(staff_client):
    page = staff_client.get(URL).text
    assert 'name="reminders_enabled"' in page
    assert 'name="reminder_days_before"' in page
    assert "board_digest_opt_in" not in page


def test_a_board_member_saving_keeps_reminder_settings_as_they_are(board_client, board_user):
    Profile.objects.create(user=board_user, reminders_enabled=True, reminder_days_before=9)
    board_client.post(URL, {"language": "en", "reminders_enabled": "", "reminder_days_before": "2"})
    profile = Profile.objects.get(user=board_user)
    assert (profile.language, profile.reminders_enabled, profile.reminder_days_before) == (
        "en",
        True,
        9,
    )


@pytest.mark.parametrize("days", ["0", "61", "-1"])
def test_notice_out_of_range_is_refused(staff_client, staff_user, days):
    response = staff_client.post(URL, {"language": "fr-ca", "reminder_days_before": days})
    assert response.status_code == 200
    assert "is-invalid" in response.text
    assert not Profile.objects.filter(user=staff_user).exists()


def test_notice_range_is_a_database_constraint_too(staff_user):
    profile = Profile(user=staff_user, reminder_days_before=0)
    with pytest.raises(ValidationError):
        profile.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()


def test_the_page_says_when_there_is_no_address_or_no_mail(
    staff_client, staff_user, mail_not_configured
):
    page = staff_client.get(URL).text
    assert "Votre compte n’a pas d’adresse courriel" in page
    assert "Ce serveur n’envoie aucun courriel pour le moment" in page
