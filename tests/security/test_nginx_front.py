"""Debian's nginx, run with deploy/nginx/tiess.conf, in front of `make serve-prod`.

The site file is rendered into a temporary directory (loopback high ports, a throwaway
self-signed certificate, the temporary STATIC_ROOT) and included by a minimal nginx.conf that
an unprivileged user can run. Clients connect from different loopback addresses
(127.0.0.2, 127.0.0.3…), which nginx sees as different `$remote_addr`. gunicorn serves a
temporary SQLite database whatever the suite runs on: the users and login attempts written
through it must not land in a test database that other tests share.
"""

import gzip
import http.client
import json
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.nginx_front import Front, directive, nginx_size, required_tool, running_nginx
from tests.security.prod_server import (
    ROOT,
    free_port,
    production_environment,
    serve_prod,
)

pytestmark = pytest.mark.slow

SITE = ROOT / "deploy" / "nginx" / "tiess.conf"

PASSWORD = "phrase-de-passe-du-test-nginx"
# Small, so that the recycling test sees a worker replaced (production: 1000 and 100).
MAX_REQUESTS, MAX_REQUESTS_JITTER = 20, 5

SETUP_SCRIPT = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from plan.roles import STAFF_GROUP

call_command("migrate", verbosity=0)
call_command("load_plan", verbosity=0)
for name in ("marie", "luc"):
    user = get_user_model().objects.create_user(name, password={PASSWORD!r})
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """nginx on loopback high ports in front of `make serve-prod`, with a plan and two users."""
    required_tool("nginx")
    tmp = tmp_path_factory.mktemp("nginx-front")
    http_port, https_port, gunicorn_port = free_port(), free_port(), free_port()
    env = production_environment(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https_port}",
        SECURE_PROXY_SSL_HEADER="1",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        CACHE_DIR=str(tmp / "cache"),
        DATABASE_URL=f"sqlite:///{tmp / 'front.sqlite3'}",
        GUNICORN_WORKERS="2",
        GUNICORN_MAX_REQUESTS=str(MAX_REQUESTS),
        GUNICORN_MAX_REQUESTS_JITTER=str(MAX_REQUESTS_JITTER),
    )
    env.pop("REVERSE_PROXY_COUNT", None)  # the default deployment: one proxy
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    front = Front(
        http_port, https_port, tmp / "static", tmp / "serve-prod.log", None, (gunicorn_port,)
    )
    with serve_prod(env, front.serve_log, port=gunicorn_port), running_nginx(tmp, front):
        yield front


def test_site_file_limits_match_the_application():
    """Upload size and timeouts follow the settings and gunicorn (no nginx needed)."""
    body_limit = nginx_size(directive("client_max_body_size"))
    # Room for a measurement form carrying three evidence files at the limit, or an import.
    assert body_limit >= 3 * settings.EVIDENCE_MAX_BYTES + 1024**2
    assert body_limit >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    gunicorn_timeout = int(re.search(r"^GUNICORN_TIMEOUT \?= (\d+)", makefile, re.M).group(1))
    for name in ("proxy_read_timeout", "proxy_send_timeout"):
        assert int(directive(name).rstrip("s")) > gunicorn_timeout


def test_dashboard_is_gzipped_through_nginx(front):
    browser = front.browser()
    assert browser.login("marie", PASSWORD).status == 302

    response = browser.get("/", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert any("Accept-Encoding" in vary for vary in response.headers.get_all("Vary"))
    html = response.text
    assert "Plan stratégique 2018-2023" in html
    assert len(response.body) * 3 < len(html.encode())
    manifest = json.loads((front.static_root / "staticfiles.json").read_text())["paths"]
    assert f"/static/{manifest['css/app.css']}" in html

    plain = browser.get("/")
    assert plain.status == 200
    assert "Content-Encoding" not in plain.headers


def test_http_redirects_to_https_which_sends_hsts(front):
    connection = http.client.HTTPConnection("127.0.0.1", front.http_port, timeout=10)
    try:
        connection.request("GET", "/rapport/?periode=3")
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/rapport/?periode=3"
    assert "Strict-Transport-Security" not in answer.headers

    response = front.browser().get("/accounts/login/")
    # Django redirects plain HTTP (SECURE_SSL_REDIRECT): a 200 shows X-Forwarded-Proto arrived.
    assert response.status == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000")
    assert "includeSubDomains" in hsts
    cookies = response.headers.get_all("Set-Cookie")
    assert cookies
    assert all("; Secure" in cookie for cookie in cookies)


def test_hashed_static_files_come_from_nginx_with_long_cache_headers(front):
    manifest = json.loads((front.static_root / "staticfiles.json").read_text())["paths"]
    browser = front.browser()
    for name in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"):
        hashed = manifest[name]
        assert hashed != name
        response = browser.get(f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.body) == (front.static_root / hashed).read_bytes()
        # whitenoise adds this header to what it serves: nginx answered without gunicorn.
        assert "Access-Control-Allow-Origin" not in response.headers

    unhashed = browser.get("/static/css/app.css")
    assert unhashed.status == 200
    assert "immutable" not in unhashed.headers["Cache-Control"]


def test_lockout_keys_on_the_client_address_that_nginx_forwards(front):
    client_a, client_b = front.browser("127.0.0.2"), front.browser("127.0.0.3")
    for _ in range(4):
        assert client_a.login("luc", "mauvais").status == 200
    assert client_a.login("luc", "mauvais").status == 429
    assert client_a.login("luc", PASSWORD).status == 429
    # Client A names B in its own X-Forwarded-For: nginx appends A's address, which counts.
    assert client_a.login("luc", PASSWORD, **{"X-Forwarded-For": "127.0.0.3"}).status == 429
    # Client B, same user name, same nginx, same gunicorn: not locked out.
    response = client_b.login("luc", PASSWORD)
    assert response.status == 302
    assert response.headers["Location"] == "/accounts/accueil/"  # the landing view


def test_request_bodies_over_the_limit_are_refused_by_nginx(front):
    limit = nginx_size(directive("client_max_body_size"))
    connection = http.client.HTTPSConnection(
        "127.0.0.1", front.https_port, context=front.tls, timeout=10
    )
    try:
        connection.putrequest("POST", "/accounts/login/")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(limit + 1))
        connection.endheaders()
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    assert answer.status == 413
    # A body the size of one evidence file at its limit goes through to Django, whose CSRF
    # check (no token in it) refuses it.
    response = front.browser().request(
        "POST",
        "/accounts/login/",
        body=b"0" * settings.EVIDENCE_MAX_BYTES,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status == 403


def test_gunicorn_replaces_its_workers_without_failing_a_request(front):
    browser = front.browser()
    # More requests than two workers can serve before both reach their limit.
    statuses = {browser.get("/healthz").status for _ in range(2 * (MAX_REQUESTS + 5))}
    assert statuses == {200}
    assert "Autorestarting worker after current request" in front.serve_log.read_text()
