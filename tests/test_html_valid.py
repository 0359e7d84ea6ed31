"""The main pages of each role are valid HTML for the W3C Nu checker (vnu), 0 errors.

vnu is npm's `vnu-jar` run on a Java runtime; `.ci/run` installs both. Without them the test is
skipped on a developer's machine, and fails in CI.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import codes
from tests.public.published import publish_plan

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def java_for_vnu():
    """The Java runtime that runs vnu.jar; fails in CI and skips elsewhere without them."""
    java = shutil.which("java")
    if not (java and VNU_JAR.exists()):
        if os.environ.get("CI"):
            pytest.fail("vnu-jar and a Java runtime are needed in CI (.ci/run installs them).")
        pytest.skip("vnu-jar or Java missing: npm install vnu-jar; apt-get install java")
    return java


def check(pages, tmp_path):
    """{page: [message, …]} of the vnu errors of the rendered pages {name: html}."""
    java = java_for_vnu()
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *sorted(map(str, tmp_path.glob("page-*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = {}
    for message in messages:
        url = message.get("url", "")
        page = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(page, []).append(
            f"{message.get('lastLine')}: {message['message']} · {message.get('extract', '')!r}"
        )
    return errors


def rendered(client, paths):
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


def board_paths():
    return [
        "/",
        f"/orientations/{codes.orientation(1).pk}/",
        f"/resultats/{codes.result(1).pk}/",
        "/depuis-la-derniere-rencontre/",
        "/rapport/",
        "/rencontres/",
        "/plan/",
        "/compte/rappels/",
        "/compte/jetons/",
        "/api/",
    ]


def staff_paths():
    period = codes.period("2018-2019")
    return [
        "/saisie/",
        f"/saisie/{period.pk}/",
        f"/indicateurs/{codes.indicator('1.1').pk}/",
        f"/indicateurs/{codes.indicator('1.3').pk}/",
        "/saisie/import/",
        f"/strategies/{codes.strategy('1.1').pk}/etat/new/",
        "/compte/rappels/",
    ]


def admin_paths():
    return [
        "/admin/",
        "/admin/indicators/indicator/",
        f"/admin/indicators/indicator/{codes.indicator('1.1').pk}/change/",
        "/admin/indicators/measurement/",
        "/admin/plan/strategicplan/",
        "/cibles/",
    ]


def test_board_pages_are_valid_html(client, board_user, recorded_data, tmp_path):
    client.force_login(board_user)
    assert check(rendered(client, board_paths()), tmp_path) == {}


def test_staff_pages_are_valid_html(client, staff_user, recorded_data, tmp_path):
    client.force_login(staff_user)
    assert check(rendered(client, staff_paths()), tmp_path) == {}


def test_admin_pages_are_valid_html(client, admin_user, recorded_data, tmp_path):
    client.force_login(admin_user)
    assert check(rendered(client, admin_paths()), tmp_path) == {}


def test_login_page_is_valid_html(client, plan_2018_2023, tmp_path):
    assert check(rendered(client, ["/accounts/login/"]), tmp_path) == {}


def test_public_pages_are_valid_html(client, plan_2018_2023, staff_user, tmp_path):
    publish_plan(plan_2018_2023, staff_user)
    paths = ["/public/", "/public/2018-2023/", "/public/2018-2023/resultats/2/"]
    assert check(rendered(client, paths), tmp_path) == {}
