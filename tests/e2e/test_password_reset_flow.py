"""A forgotten password, end to end in Chromium, the e-mail read from a real SMTP server."""

import re

import pytest
from playwright.sync_api import expect

from tests.smtp_server import text_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PASSWORD = "une-phrase-de-passe-neuve-2026"


def test_a_person_resets_a_forgotten_password_by_email(
    page, live_server, log_in, plan_2018_2023, staff_user, smtp_server, settings
):
    # E-mail links go to SITE_URL, the site's public address: here, the live server.
    settings.SITE_URL = live_server.url
    staff_user.email = "marie@tiess.test"
    staff_user.save()

    # Marie asks for a link from the login page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    page.get_by_label("Courriel").fill("marie@tiess.test")
    page.get_by_role("button", name="M’envoyer le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez vos courriels")

    # The mail server received the message; she follows its link.
    (message,) = smtp_server.received_by("marie@tiess.test")
    link = re.search(r"http://\S+/accounts/reset/\S+/", text_of(message)).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    page.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe changé")

    # She logs in with the new password; the old one no longer works.
    log_in(page, "marie", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Valeurs à saisir")  # logged in
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    assert not staff_user.check_password("mot-de-passe-personnel")
