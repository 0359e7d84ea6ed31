"""Error pages: French, without inline code, and a clean 503 while the database is down."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.views.defaults import permission_denied

from tiess.views import server_error


@pytest.fixture
def faults(settings):
    settings.ROOT_URLCONF = "tests.security.urls_faults"


@pytest.fixture
def quiet_client(db):
    """A client that receives the 500/503 page instead of the exception."""
    return Client(raise_request_exception=False)


def assert_no_inline_code(html):
    assert 'style="' not in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_404_is_french_inside_the_layout(staff_client):
    response = staff_client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Retour au tableau de bord" in response.text
    assert "Se déconnecter" in response.text  # the normal navigation bar
    assert_no_inline_code(response.text)


@pytest.mark.django_db
def test_403_is_french(rf, board_user):
    request = rf.get("/")
    request.user = board_user
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert_no_inline_code(response.content.decode())


def test_500_is_french_and_standalone(faults, quiet_client, caplog):
    response = quiet_client.get("/_faults/bug/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.text
    assert "Retour au tableau de bord" in response.text
    assert_no_inline_code(response.text)
    # The traceback goes to the log (stdout in production).
    assert any(record.exc_info for record in caplog.records)


def test_a_lost_database_answers_503_with_retry_after(faults, quiet_client, settings, caplog):
    settings.DATABASE_RETRY_AFTER = 45
    response = quiet_client.get("/_faults/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "45"
    assert response["Cache-Control"] == "no-store"
    assert "Service temporairement indisponible" in response.text
    assert "Réessayez dans 45 secondes." in response.text
    assert "Content-Security-Policy" in response
    assert_no_inline_code(response.text)
    assert any(record.name == "tiess.database" and record.exc_info for record in caplog.records)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_500_handler_answers_503_for_database_errors_outside_views(rf, error):
    """Errors raised by a middleware (e.g. loading the session) reach handler500."""
    try:
        raise error("server closed the connection unexpectedly")
    except error:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Service temporairement indisponible" in response.content.decode()


def test_the_500_handler_answers_500_for_other_errors(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_french(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert_no_inline_code(response.text)
