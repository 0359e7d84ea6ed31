"""EMAIL_URL read by django-environ; without it in production, nothing tries localhost:25."""

import logging

import pytest
from django.core.mail import send_mail

from tests.security.test_settings_deploy import production_environment, run_manage

SHOW = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, "
    "s.DEFAULT_FROM_EMAIL, sep='|')"
)


def settings_in(env):
    result = run_manage(env, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_production_without_email_url_uses_the_backend_that_sends_nothing():
    backend, host, *_ = settings_in(production_environment())
    assert backend == "tiess.email_backend.NotConfiguredEmailBackend"


def test_email_url_configures_smtp_with_tls():
    env = production_environment(EMAIL_URL="smtp+tls://suivi%40tiess.ca:secret@smtp.tiess.ca:587")
    assert settings_in(env) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.tiess.ca",
        "587",
        "True",
        "suivi@tiess.ca",
        "Suivi du plan TIESS <suivi@tiess.ca>",
    ]


def test_development_prints_mail_in_the_terminal():
    env = production_environment(DEBUG="1")
    assert settings_in(env)[0] == "django.core.mail.backends.console.EmailBackend"


def test_unconfigured_backend_sends_nothing_and_says_so(smtp_server, mail_not_configured, caplog):
    """Even with a live SMTP server named in EMAIL_HOST/EMAIL_PORT, nothing is handed to it."""
    with caplog.at_level(logging.WARNING, logger="tiess.mail"):
        assert send_mail("Objet", "Texte", None, ["marie@tiess.test"]) == 0
    assert smtp_server.messages == []
    assert "E-mail is not configured" in caplog.text


@pytest.mark.django_db
def test_the_admin_says_once_that_mail_is_not_configured(admin_client, mail_not_configured):
    page = admin_client.get("/admin/").text
    assert page.count("Le courriel n’est pas configuré (EMAIL_URL)") == 1
    other = admin_client.get("/admin/indicators/indicator/").text
    assert "Le courriel n’est pas configuré" not in other


@pytest.mark.django_db
def test_no_notice_when_mail_is_configured(admin_client, smtp_server):
    assert "Le courriel n’est pas configuré" not in admin_client.get("/admin/").text
