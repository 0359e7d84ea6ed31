"""Login throttling (django-axes): 5 failures for one user name from one address, then a wait."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt

LOGIN_URL = "/accounts/login/"
LOCKOUT_MESSAGE = "logging in with this user name is blocked for a while"
LOCKOUT_MESSAGE_FR = "la connexion avec ce nom d’utilisateur est bloquée"


def try_login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def lockout_text():
    """The French sentence of templates/registration/lockout.html."""
    return LOCKOUT_MESSAGE_FR


@pytest.mark.django_db
def test_a_wrong_password_shows_the_form_again_in_french(client, staff_user):
    response = try_login(client, "marie", "mauvais")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_user_name_out_with_a_french_message(
    client, staff_user, lockout_text
):
    for _ in range(4):
        assert try_login(client, "marie", "mauvais").status_code == 200
    fifth = try_login(client, "marie", "mauvais")
    assert fifth.status_code == 429
    assert lockout_text in fifth.text
    # Even the right password is refused during the cool-off.
    right = try_login(client, "marie", "mot-de-passe-personnel")
    assert right.status_code == 429
    assert lockout_text in right.text
    assert "Trop de tentatives" in right.text
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="marie").failures_since_start >= 5


@pytest.mark.django_db
def test_lockout_is_per_user_name_and_address(client, staff_user, board_user):
    for _ in range(5):
        try_login(client, "marie", "mauvais")
    # Another person from the same address can still log in…
    response = try_login(client, "andre", "mot-de-passe-conseil")
    assert response.status_code == 302
    client.logout()
    # …and so can the same person from another address.
    response = try_login(client, "marie", "mot-de-passe-personnel", address="10.0.0.2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failures(client, staff_user):
    for _ in range(4):
        try_login(client, "marie", "mauvais")
    assert try_login(client, "marie", "mot-de-passe-personnel").status_code == 302
    assert not AccessAttempt.objects.filter(username="marie").exists()
    client.logout()
    # Four new failures do not lock out: the counter started again from zero.
    for _ in range(4):
        assert try_login(client, "marie", "mauvais").status_code == 200
    assert try_login(client, "marie", "mot-de-passe-personnel").status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(client, staff_user, settings):
    for _ in range(5):
        try_login(client, "marie", "mauvais")
    assert try_login(client, "marie", "mot-de-passe-personnel").status_code == 429
    # The cool-off is read from AXES_COOLOFF_HOURS; move the attempts back in time.
    attempt = AccessAttempt.objects.get(username="marie")
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempt.attempt_time -= cool_off + timedelta(seconds=1)
    attempt.save()
    assert try_login(client, "marie", "mot-de-passe-personnel").status_code == 302
