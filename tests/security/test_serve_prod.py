"""`make serve-prod`: collectstatic, migrate and gunicorn with production settings, on loopback."""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# So that pytest-django creates the test database, which gunicorn uses on PostgreSQL.
pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path):
    """A temporary SQLite file, or the test database when the suite runs on PostgreSQL."""
    db = connection.settings_dict  # the test database's, once django_db_setup ran
    if db["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def serve_prod(tmp_path_factory, django_db_setup):
    """Run `make serve-prod` on a free loopback port; stop its whole process group after."""
    tmp_path = tmp_path_factory.mktemp("serve-prod")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # Production defaults, not the test suite's relaxed ones (see the Makefile's TEST_ENV).
        if key
        not in {"STATICFILES_STORAGE", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: no HTTPS redirect, cookies not limited to HTTPS.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        # As behind nginx: a request marked X-Forwarded-Proto: https counts as HTTPS.
        SECURE_PROXY_SSL_HEADER="1",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=database_url(tmp_path),
        PORT=str(port),
        GUNICORN_WORKERS="2",
    )
    log = (tmp_path / "serve-prod.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve-prod"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(
                    "make serve-prod stopped:\n" + (tmp_path / "serve-prod.log").read_text()
                )
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    "gunicorn did not answer:\n" + (tmp_path / "serve-prod.log").read_text()
                )
            time.sleep(0.5)
        yield base, tmp_path / "static"
    finally:
        stop_group(process)
        log.close()


def stop_group(process):
    """Stop make, gunicorn's arbiter and its workers: the process group this test started."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def test_serve_prod_answers_the_login_page_and_hashed_static_files(serve_prod):
    base, static_root = serve_prod
    status, headers, body = fetch(
        f"{base}/accounts/login/", **{"Accept-Language": "fr-CA", "X-Forwarded-Proto": "https"}
    )
    html = body.decode()
    assert status == 200
    assert "Connexion" in html
    assert 'lang="fr"' in html
    assert "Content-Security-Policy" in headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "HttpOnly" in headers["Set-Cookie"]
    assert "SameSite=Lax" in headers["Set-Cookie"]

    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/app.css"]
    assert hashed != "css/app.css"
    assert f"/static/{hashed}" in html  # the page links the hashed name

    status, headers, body = fetch(f"{base}/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    status, _headers, body = fetch(f"{base}/static/{manifest['bootstrap/css/bootstrap.min.css']}")
    assert status == 200
    assert b"Bootstrap" in body[:200]


def test_serve_prod_hides_debug_information(serve_prod):
    base, _static_root = serve_prod
    status, _headers, body = fetch(f"{base}/cette-page-n-existe-pas/")
    assert status == 404
    assert "Page introuvable" in body.decode()
    assert "Traceback" not in body.decode()
    assert "URLconf" not in body.decode()
