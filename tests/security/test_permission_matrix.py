"""Who may do what: every URL of the project × role × method → expected status, in one table.

The URL list comes from walking the resolver, so a new URL without a row here fails the suite.
"""

import re

import pytest
from django.contrib.admin import site as admin_site
from django.test import Client

from tests.security.url_map import admin_urls, finish, project_urls

LOGIN = "login"  # 302 to /accounts/login/?next=…
ROLES = ("anonymous", "staff", "board", "admin")

# URL name: (GET, POST) for anonymous, Personnel, Conseil d'administration, administrator.
# Empty POSTs: a form answers 200 with its errors; 403 = refused; 405 = method not allowed
# (read-only pages check the method before the login).
MATRIX = {
    # name: anonymous     staff         board         admin
    "healthz": ((200, 405), (200, 405), (200, 405), (200, 405)),
    "login": ((200, 200), (200, 200), (200, 200), (200, 200)),
    "logout": ((405, LOGIN), (405, LOGIN), (405, LOGIN), (405, LOGIN)),
    "password_change": ((LOGIN, LOGIN), (200, 200), (200, 200), (200, 200)),
    "password_change_done": ((LOGIN, LOGIN), (200, 405), (200, 405), (200, 405)),
    # Password reset by e-mail: open to everyone (an invalid link answers 200 with an
    # explanation); the e-mail preferences are each person's own.
    "password_reset": ((200, 200), (200, 200), (200, 200), (200, 200)),
    "password_reset_done": ((200, 405), (200, 405), (200, 405), (200, 405)),
    "password_reset_confirm": ((200, 200), (200, 200), (200, 200), (200, 200)),
    "password_reset_complete": ((200, 405), (200, 405), (200, 405), (200, 405)),
    "email_preferences": ((LOGIN, LOGIN), (200, 200), (200, 200), (200, 200)),
    "set_language": ((302, 302), (302, 302), (302, 302), (302, 302)),
    # Plan and dashboard: everyone logged in reads; recording a strategy's state is staff's.
    "board:dashboard": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "plan:plan_detail": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:orientation_detail": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:result_detail": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:since_last_meeting": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:board_report": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:board_report_xlsx": ((LOGIN, LOGIN), (200, 302), (200, 302), (200, 302)),
    # Any plan's board pages at its own URLs (/plans/2018-2023/…): read like the current one's.
    "board:plan_dashboard": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:plan_since_last_meeting": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:plan_board_report": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:plan_board_report_xlsx": ((LOGIN, LOGIN), (200, 302), (200, 302), (200, 302)),
    "board:plan_board_report_print_css": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "indicators:strategyprogress_new": ((LOGIN, LOGIN), (200, 200), (403, 403), (200, 200)),
    # Indicators: the board reads values and evidence; only staff record, import, see "À saisir".
    "indicators:indicator_detail": ((LOGIN, LOGIN), (200, 200), (200, 403), (200, 200)),
    "indicators:measurement_todo": ((LOGIN, 405), (200, 405), (403, 405), (200, 405)),
    "indicators:measurement_import": ((LOGIN, LOGIN), (200, 200), (403, 403), (200, 200)),
    # The entry grid: an empty POST would erase the recorded value, which is refused (400);
    # a row is only posted (JSON); the landing after login sends staff to « À saisir ».
    "indicators:measurement_grid": ((LOGIN, LOGIN), (200, 400), (403, 403), (200, 400)),
    "indicators:measurement_grid_row": ((405, LOGIN), (405, 400), (405, 403), (405, 400)),
    "landing": ((LOGIN, 405), (302, 405), (302, 405), (302, 405)),
    "indicators:measurement_export_csv": ((LOGIN, LOGIN), (200, 302), (200, 302), (200, 302)),
    "indicators:measurement_export_xlsx": ((LOGIN, LOGIN), (200, 302), (200, 302), (200, 302)),
    "indicators:evidence_download": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    # Exports: a POST asks for one to be prepared (then its page); a prepared export is its
    # owner's only (Marie's here): anyone else gets 404, as if it did not exist.
    "indicators:export_list": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "indicators:export_detail": ((LOGIN, 405), (200, 405), (404, 405), (404, 405)),
    "indicators:export_status": ((LOGIN, 405), (200, 405), (404, 405), (404, 405)),
    "indicators:export_download": ((LOGIN, 405), (200, 405), (404, 405), (404, 405)),
    # The targets grid: administrators and people given "indicators.edit_targets" (no role
    # has it by default); an empty POST saves nothing and returns to the grid.
    "indicators:target_grid": ((LOGIN, LOGIN), (403, 403), (403, 403), (200, 302)),
    # Board meetings: everyone reads meetings and packs; staff record and present meetings
    # (an empty POST freezes nothing: it asks for the confirmation); only a superuser removes
    # a pack.
    "board:board_report_print_css": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:meeting_list": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:meeting_detail": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:meeting_new": ((LOGIN, LOGIN), (200, 200), (403, 403), (200, 200)),
    "board:meeting_edit": ((LOGIN, LOGIN), (200, 200), (403, 403), (200, 200)),
    "board:meeting_present": ((405, LOGIN), (405, 200), (405, 403), (405, 200)),
    "board:meetingpack_detail": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:meetingpack_print_css": ((LOGIN, 405), (200, 405), (200, 405), (200, 405)),
    "board:meetingpack_remove": ((LOGIN, LOGIN), (403, 403), (403, 403), (200, 200)),
}


def concrete_path(name, route, url_objects):
    path = "/" + route
    if "<int:pk>" in path:
        path = path.replace("<int:pk>", str(url_objects[name]))
    path = path.replace("<years:years>", url_objects["years"])
    if "<int:indicator_pk>" in path:
        path = path.replace("<int:indicator_pk>", str(url_objects[f"{name}:indicator"]))
    path = path.replace("<uidb64>", "MQ").replace("<token>", "lien-invalide")
    assert "<" not in path, f"no concrete value for a parameter of {name}: {route}"
    return path


@pytest.fixture
def users(staff_user, board_user, admin_user):
    return {"anonymous": None, "staff": staff_user, "board": board_user, "admin": admin_user}


def client_for(user):
    """A fresh client (logging out in one request must not affect the next one)."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def outcome(response):
    finish(response)
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def test_every_url_of_the_project_has_a_row():
    found = set(project_urls())
    assert found - set(MATRIX) == set(), "URLs missing from MATRIX"
    assert set(MATRIX) - found == set(), "MATRIX lists URLs that no longer exist"


@pytest.mark.django_db
def test_permission_matrix(users, url_objects):
    differences = []
    for name, route in sorted(project_urls().items()):
        path = concrete_path(name, route, url_objects)
        for role, expected in zip(ROLES, MATRIX[name], strict=True):
            got = (
                outcome(client_for(users[role]).get(path)),
                outcome(client_for(users[role]).post(path)),
            )
            if got != expected:
                differences.append(f"{name} {path} as {role}: expected {expected}, got {got}")
    assert differences == []


@pytest.mark.django_db
def test_every_post_without_csrf_token_is_refused(admin_user, staff_user, url_objects):
    """CSRF is enforced everywhere: no view of the project is exempt."""
    for user in (admin_user, staff_user, None):
        client = Client(enforce_csrf_checks=True)
        if user:
            client.force_login(user)
        for name, route in sorted(project_urls().items()):
            response = client.post(concrete_path(name, route, url_objects), {"x": "1"})
            finish(response)
            assert response.status_code == 403, f"{name} accepted a POST without CSRF token"
            assert "Formulaire expiré" in response.text


# --- The Django admin: a rule for every pattern, pages rendered for a representative subset.

# Admin pages that answer people who are not staff: (status, Location) for GET and POST.
# The admin's logout sends anyone back to the admin index (hence its login form).
ADMIN_OPEN = {
    "admin:login": {"get": (200, None), "post": (200, None)},
    "admin:logout": {"get": (302, "/admin/"), "post": (302, "/admin/")},
}
SIMPLE_HISTORY = re.compile(r"\^\(\[\^/\]\+\)/history/\(\[\^/\]\+\)/\$")


def admin_path(name, route, recorded_data):
    """A concrete path for an admin pattern (object ids from the recorded data)."""
    path = "/" + route
    path = path.replace("(?P<url>.*)$", "page-inconnue/")
    path = path.replace(
        "^(?P<app_label>auth|axes|django_tasks_database|plan|indicators|board)/$", "plan/"
    )
    path = SIMPLE_HISTORY.sub(f"{recorded_data.pk}/history/1/", path)
    path = path.replace("<path:object_id>", "1").replace("<id>", "1")
    path = path.replace("<path:content_type_id>", "1")
    assert "<" not in path, f"{name}: {route}"
    assert "(" not in path, f"{name}: {route}"
    return path


@pytest.mark.django_db
def test_admin_is_closed_to_everyone_but_administrators(users, recorded_data):
    """Anonymous people, staff and the board (none is `is_staff`) go to the admin login."""
    routes = admin_urls()
    assert len(routes) > 50
    for name, route in sorted(routes.items()):
        path = admin_path(name, route, recorded_data)
        for role in ("anonymous", "staff", "board"):
            for method in ("get", "post"):
                response = getattr(client_for(users[role]), method)(path)
                if name in ADMIN_OPEN:
                    got = (response.status_code, response.get("Location"))
                    assert got == ADMIN_OPEN[name][method], f"{name} {role} {method}: {got}"
                    continue
                assert response.status_code == 302, f"{name} {path} {role} {method}"
                assert response["Location"].startswith("/admin/login/"), f"{name} {role}"


@pytest.mark.django_db
def test_administrators_open_every_admin_list_and_add_page(admin_user, rf, recorded_data):
    admin = client_for(admin_user)
    request = rf.get("/admin/")
    request.user = admin_user
    assert admin.get("/admin/").status_code == 200
    for model, model_admin in admin_site._registry.items():
        changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin.get(changelist).status_code == 200, changelist
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert admin.get(changelist + "add/").status_code == expected, changelist
    for path in (
        f"/admin/indicators/measurement/{recorded_data.pk}/change/",
        f"/admin/indicators/measurement/{recorded_data.pk}/history/",
        f"/admin/indicators/indicator/{recorded_data.indicator_id}/change/",
        f"/admin/plan/strategicplan/{recorded_data.indicator.plan.pk}/change/",
        f"/admin/auth/user/{admin_user.pk}/change/",
    ):
        assert admin.get(path).status_code == 200, path
