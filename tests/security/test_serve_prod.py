"""`make serve-prod`: collectstatic, migrate and gunicorn with production settings, on loopback."""

import json
import secrets

import pytest
from django.db import connection

from tests.security.prod_server import fetch, free_port, production_environment, serve_prod

# So that pytest-django creates the test database, which gunicorn uses on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def database_url(tmp_path):
    """A temporary SQLite file, or the test database when the suite runs on PostgreSQL."""
    db = connection.settings_dict  # the test database's, once django_db_setup ran
    if db["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="module", name="serve_prod")
def serve_prod_fixture(tmp_path_factory, django_db_setup):
    """Run `make serve-prod` on a free loopback port; stop its whole process group after."""
    tmp_path = tmp_path_factory.mktemp("serve-prod")
    port = free_port()
    env = production_environment(
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
        GUNICORN_WORKERS="2",
    )
    with serve_prod(env, tmp_path / "serve-prod.log", port=port):
        yield f"http://127.0.0.1:{port}", tmp_path / "static"


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
