"""Content-Security-Policy: strict header, and no inline script, style or handler in any page.

The Django admin is held to the same policy (Django 5.2's admin has no inline code). One
known exception is tolerated: django-simple-history's history list has
`<p class="paginator" style="border-top: 0">`; the browser ignores that style (a cosmetic
border), which is better than weakening the policy. Should an admin page ever need more,
relax only /admin/ (`EXCLUDE_URL_PREFIXES` or a second policy), never the app's pages.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client

from indicators.models import Evidence
from tests import codes
from tests.security.url_map import finish, project_urls

# Script types that browsers do not execute (data islands such as json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collect what a strict CSP would block, and POST forms without a CSRF token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_post_form = False
        self.form_has_token = False
        self.in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}>")
        if tag == "style":
            self.problems.append("<style> element")
        script_type = (attributes.get("type") or "").lower()
        if tag == "script" and not attributes.get("src") and script_type not in DATA_SCRIPT_TYPES:
            self.problems.append("inline <script>")
        for name in ("href", "src", "action"):
            if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self.in_post_form, self.form_has_token = True, False
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.form_has_token = True

    def handle_endtag(self, tag):
        if tag == "form" and self.in_post_form:
            if not self.form_has_token:
                self.problems.append("POST form without CSRF token")
            self.in_post_form = False


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def assert_strict_policy(response):
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_finder_catches_inline_code():
    html = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<script type="application/json">{}</script><script src="/a.js"></script>'
        '<form method="post"><button>ok</button></form><a href="javascript:x()">b</a>'
    )
    assert inline_code(html) == [
        "style attribute on <p>",
        "onclick= handler on <p>",
        "inline <script>",
        "POST form without CSRF token",
        "javascript: URL in <a href>",
    ]


def html_pages(recorded_data):
    """Concrete paths of every project URL (parameters filled from the recorded data)."""
    objects = {
        "indicators:evidence_download": Evidence.objects.get().pk,
        "indicators:indicator_detail": recorded_data.indicator_id,
        "board:orientation_detail": codes.orientation(1).pk,
        "board:result_detail": codes.result(1).pk,
        "indicators:strategyprogress_new": codes.strategy("1.1").pk,
    }
    for name, route in sorted(project_urls().items()):
        path = "/" + route.replace("<int:pk>", str(objects.get(name, 0)))
        yield name, path.replace("<uidb64>", "MQ").replace("<token>", "lien-invalide")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff", "board", "admin"])
def test_every_page_has_a_strict_policy_and_no_inline_code(
    role, recorded_data, staff_user, board_user, admin_user
):
    client = Client()
    user = {"staff": staff_user, "board": board_user, "admin": admin_user}.get(role)
    if user:
        client.force_login(user)
    checked = 0
    problems = {}
    for name, path in html_pages(recorded_data):
        if name == "logout":
            continue
        response = client.get(path, follow=True)
        finish(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert_strict_policy(response)
        found = inline_code(response.content.decode())
        if found:
            problems[path] = found
        checked += 1
    assert problems == {}
    assert checked >= (5 if role == "anonymous" else 12)


@pytest.mark.django_db
def test_error_and_lockout_pages_are_strict_too(client, staff_user, settings):
    response = client.get("/page-inconnue/")
    assert response.status_code == 404
    assert_strict_policy(response)
    assert inline_code(response.text) == []
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "marie", "password": "non"})
    assert response.status_code == 429
    assert_strict_policy(response)
    assert inline_code(response.text) == []


@pytest.mark.django_db
def test_admin_pages_are_held_to_the_same_policy(admin_client, recorded_data):
    for path in (
        "/admin/",
        "/admin/indicators/indicator/",
        f"/admin/indicators/indicator/{recorded_data.indicator_id}/change/",
        f"/admin/indicators/measurement/{recorded_data.pk}/change/",
        f"/admin/indicators/measurement/{recorded_data.pk}/history/",
        "/admin/plan/strategicplan/add/",
        "/admin/auth/user/",
    ):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_strict_policy(response)
        tolerated = ["style attribute on <p>"] if path.endswith("/history/") else []
        assert inline_code(response.text) == tolerated, path
