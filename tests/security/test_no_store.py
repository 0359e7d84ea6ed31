"""Responses to logged-in people are never stored by a browser or a proxy (no-store, private).

Every URL of the resolver is visited (the project's, then the admin's), like the permission
matrix, as each kind of logged-in person: pages, exports, evidence downloads, errors alike.
"""

import pytest
from django.test import Client

from indicators.models import Evidence
from tests.security.test_permission_matrix import admin_path, concrete_path
from tests.security.url_map import admin_urls, finish, project_urls


@pytest.fixture
def paths(url_objects):
    return {
        name: concrete_path(name, route, url_objects)
        for name, route in sorted(project_urls().items())
        # Logging out ends the session: its answer goes to someone no longer logged in.
        if name != "logout"
    }


def is_private(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
def test_every_page_answers_no_store_to_logged_in_people(paths, staff_user, board_user, admin_user):
    stored = []
    for user in (staff_user, board_user, admin_user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for name, path in paths.items():
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                finish(response)
                if not is_private(response):
                    stored.append(f"{user} {method} {name} {response.status_code}")
    assert stored == []


@pytest.mark.django_db
def test_every_admin_page_answers_no_store(admin_user, recorded_data):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    stored = []
    for name, route in sorted(admin_urls().items()):
        if name == "admin:logout":
            continue
        response = client.get(admin_path(name, route, recorded_data))
        finish(response)
        if not is_private(response):
            stored.append(f"{name} {response.status_code}")
    assert stored == []


@pytest.mark.django_db
def test_exports_and_evidence_downloads_are_not_stored(staff_client, recorded_data):
    for path in (
        "/saisie/export.csv",
        "/saisie/export.xlsx",
        f"/preuves/{Evidence.objects.get().pk}/",
    ):
        response = staff_client.get(path)
        finish(response)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


@pytest.mark.django_db
def test_anonymous_responses_are_left_alone(client, recorded_data):
    """The redirection to the login page carries nothing private."""
    response = client.get("/saisie/export.csv")
    assert response.status_code == 302
    assert "Cache-Control" not in response
