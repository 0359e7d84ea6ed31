"""The password-change form counts wrong current passwords as failed logins (django-axes)."""

import pytest
from axes.models import AccessAttempt

from tests.security.test_login_throttling import LOCKOUT_MESSAGE_FR, try_login

URL = "/accounts/password_change/"
WRONG_MESSAGE = "Votre ancien mot de passe est incorrect."


def change(client, old, new="Un-nouveau-mot-de-passe-42", address="10.0.0.1"):
    return client.post(
        URL,
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_five_wrong_current_passwords_lock_out_with_the_french_page(client, staff_user):
    client.force_login(staff_user)
    for _ in range(4):
        response = change(client, "mauvais")
        assert response.status_code == 200
        assert WRONG_MESSAGE in response.content.decode()
    fifth = change(client, "mauvais")
    assert fifth.status_code == 429
    assert LOCKOUT_MESSAGE_FR in fifth.content.decode()
    assert AccessAttempt.objects.get(username="marie").failures_since_start == 5

    # Locked out: even the right current password changes nothing…
    right = change(client, "mot-de-passe-personnel")
    assert right.status_code == 429
    staff_user.refresh_from_db()
    assert staff_user.check_password("mot-de-passe-personnel")
    # …and the login form shares the same counter.
    assert try_login(client, "marie", "mot-de-passe-personnel").status_code == 429


@pytest.mark.django_db
def test_failures_are_counted_with_the_login_forms(client, staff_user):
    """Three wrong passwords at the login, two in the form: five, locked out."""
    for _ in range(3):
        assert try_login(client, "marie", "mauvais").status_code == 200
    client.force_login(staff_user)
    assert change(client, "mauvais").status_code == 200
    assert change(client, "mauvais").status_code == 429


@pytest.mark.django_db
def test_the_right_current_password_changes_it(client, staff_user):
    client.force_login(staff_user)
    assert change(client, "mauvais").status_code == 200
    response = change(client, "mot-de-passe-personnel")
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("Un-nouveau-mot-de-passe-42")


@pytest.mark.django_db
def test_another_address_is_not_locked_out(client, staff_user):
    client.force_login(staff_user)
    for _ in range(5):
        change(client, "mauvais")
    assert change(client, "mot-de-passe-personnel", address="10.0.0.2").status_code == 302
