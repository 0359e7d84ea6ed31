"""Password reset by e-mail: through a real SMTP server, limited, and only when mail works."""

import re

import pytest
from django.contrib.auth import get_user_model

from indicators.models import EmailKind, EmailStatus, OutgoingEmail
from tests.notifications.conftest import set_profile
from tests.smtp_server import html_of, subject_of, text_of

RESET = "/accounts/password_reset/"
# The link goes to SITE_URL (the smtp_server fixture's), never to the request's host.
LINK = re.compile(r"https://suivi\.tiess\.test(/accounts/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def marie(staff_user):
    staff_user.email = "marie@tiess.test"
    staff_user.save()
    return staff_user


def test_links_are_valid_one_hour(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600


def test_same_answer_whether_the_address_exists_or_not(client, marie, smtp_server):
    known = client.post(RESET, {"email": "marie@tiess.test"})
    unknown = client.post(RESET, {"email": "personne@tiess.test"})
    assert (known.status_code, known["Location"]) == (302, "/accounts/password_reset/done/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/accounts/password_reset/done/")
    assert [m["To"] for m in smtp_server.messages] == ["marie@tiess.test"]
    page = client.get("/accounts/password_reset/done/").text
    assert "Si un compte utilise cette adresse" in page


def test_the_emailed_link_sets_a_new_password(client, marie, smtp_server):
    client.post(RESET, {"email": "MARIE@tiess.test"})
    (message,) = smtp_server.messages
    assert subject_of(message) == "[Suivi TIESS] Choisir un nouveau mot de passe"
    assert message["Message-ID"]
    assert message["Date"]
    assert message["List-Unsubscribe"] is None  # a message asked for, not a list
    text = text_of(message)
    assert "Bonjour Marie Tremblay," in text
    assert "ouvrez ce lien d’ici une heure" in text
    assert "parce qu’un nouveau mot de passe a été demandé avec cette adresse" in text
    assert "<img" not in html_of(message)
    assert "testserver" not in text
    assert "(suivi.tiess.test)" in text
    path = LINK.search(text).group(1)

    form = client.get(path, follow=True)
    assert "Nouveau mot de passe" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "un-nouveau-mot-de-passe-2026",
            "new_password2": "un-nouveau-mot-de-passe-2026",
        },
    )
    assert done["Location"] == "/accounts/reset/done/"
    marie.refresh_from_db()
    assert marie.check_password("un-nouveau-mot-de-passe-2026")
    # The link served once.
    assert "n’est plus valide" in client.get(path, follow=True).text
    sent = OutgoingEmail.objects.get()
    assert (sent.kind, sent.status, sent.recipient) == (
        EmailKind.PASSWORD_RESET,
        EmailStatus.DELIVERED,
        marie,
    )


def test_reset_mail_in_english_for_people_who_chose_english(client, marie, smtp_server):
    set_profile(marie, language="en")
    client.post(RESET, {"email": "marie@tiess.test"})
    (message,) = smtp_server.messages
    assert subject_of(message) == "[TIESS tracker] Choose a new password"
    assert text_of(message).startswith("Hello Marie Tremblay,")


def test_at_most_three_reset_mails_per_address_an_hour(client, marie, smtp_server, settings):
    settings.PASSWORD_RESET_MAX_PER_HOUR = 3
    answers = [client.post(RESET, {"email": "marie@tiess.test"}) for _ in range(5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/accounts/password_reset/done/")
    }
    assert len(smtp_server.messages) == 3
    assert OutgoingEmail.objects.filter(kind=EmailKind.PASSWORD_RESET).count() == 3


def test_without_mail_the_link_is_hidden_and_the_page_says_whom_to_ask(
    client, marie, mail_not_configured
):
    login = client.get("/accounts/login/").text
    assert RESET not in login
    assert "Demandez à un administrateur du suivi" in login
    page = client.get(RESET)
    assert page.status_code == 200
    assert "Adressez-vous à un administrateur du suivi" in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    assert client.post(RESET, {"email": "marie@tiess.test"}).status_code == 200
    assert not OutgoingEmail.objects.exists()


def test_with_mail_the_login_page_links_to_the_reset(client, db, smtp_server):
    login = client.get("/accounts/login/").text
    assert f'href="{RESET}"' in login
    assert "Mot de passe oublié ?" in login


def test_an_inactive_account_gets_no_link(client, marie, smtp_server):
    get_user_model().objects.filter(pk=marie.pk).update(is_active=False)
    client.post(RESET, {"email": "marie@tiess.test"})
    assert smtp_server.messages == []
