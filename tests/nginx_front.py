"""Debian's nginx on loopback with the repository's site file (deploy/nginx/tiess.conf).

Shared by tests/security/test_nginx_front.py (one gunicorn behind it) and
tests/deploy/ (two gunicorn instances behind it). The site file is rendered into a temporary
directory (loopback high ports, a throwaway self-signed certificate, the temporary
STATIC_ROOT, the upstream servers of the test) and included by a minimal nginx.conf that an
unprivileged user can run. Each response names the upstream that answered it (X-Upstream).
"""

import contextlib
import dataclasses
import gzip
import http.client
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.parse
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.security.prod_server import ROOT, stop_group

SITE = ROOT / "deploy" / "nginx" / "tiess.conf"
UPSTREAM = re.compile(r"upstream tiess_gunicorn \{[^}]*\}")

MAIN_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log notice;
{user}
events {{
    worker_connections 64;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # Which app server answered (the site file's locations add no header of their own).
    add_header X-Upstream $upstream_addr always;
    include {tmp}/tiess.conf;
}}
"""


def required_tool(name):
    """A Debian tool the test needs: required in CI (`.ci/run` installs it), a skip elsewhere."""
    for path in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if path and os.access(path, os.X_OK):
            return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI (.ci/run installs it) and was not found.")
    pytest.skip(f"{name} is not installed on this machine (CI not set).")


def render_site(*, http_port, https_port, gunicorn_ports, static_root, certificate, key):
    """The repository's site file with this machine's ports, certificate and static root, and
    an upstream of `gunicorn_ports` on 127.0.0.1."""
    text = SITE.read_text(encoding="utf-8")
    replacements = [
        ("/etc/letsencrypt/live/suivi.tiess.ca/fullchain.pem", str(certificate)),
        ("/etc/letsencrypt/live/suivi.tiess.ca/privkey.pem", str(key)),
        ("server_name suivi.tiess.ca;", "server_name 127.0.0.1;"),
        ("listen [::]:80;", ""),
        ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/srv/tiess/staticfiles/", f"{static_root}/"),
    ]
    for old, new in replacements:
        assert old in text, f"{SITE.name} no longer contains {old!r}: update this test."
        text = text.replace(old, new)
    upstream = UPSTREAM.search(text)
    assert upstream, f"{SITE.name} no longer has an upstream tiess_gunicorn: update this test."
    # The site file's own options for each server (max_fails…) are kept.
    options = re.search(r"server 127\.0\.0\.1:8000([^;]*);", upstream.group()).group(1)
    servers = "".join(f"    server 127.0.0.1:{port}{options};\n" for port in gunicorn_ports)
    return text.replace(upstream.group(), f"upstream tiess_gunicorn {{\n{servers}}}")


def directive(name):
    """The value of a directive that the site file sets once."""
    (value,) = re.findall(rf"^\s*{name}\s+([^;]+);", SITE.read_text(encoding="utf-8"), re.M)
    return value


def nginx_size(value):
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    return int(value[:-1]) * units[value[-1].lower()] if value[-1].isalpha() else int(value)


@dataclasses.dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self):
        raw = self.body
        if self.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return raw.decode()


@dataclasses.dataclass
class Front:
    http_port: int
    https_port: int
    static_root: Path
    serve_log: Path
    tls: ssl.SSLContext
    gunicorn_ports: tuple = ()

    def browser(self, source="127.0.0.1"):
        return Browser(self, source)


class Browser:
    """HTTPS requests to nginx from one loopback address, keeping cookies as a browser does."""

    def __init__(self, front, source):
        self.front = front
        self.source = source
        self.cookies = {}

    def request(self, method, path, *, form=None, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers.setdefault("Referer", f"https://127.0.0.1:{self.front.https_port}{path}")
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.front.https_port,
            context=self.front.tls,
            source_address=(self.source, 0),
            timeout=30,
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(cookie).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def login(self, username, password, **headers):
        page = self.get("/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request("POST", "/accounts/login/", form=form, headers=headers)


def make_certificate(directory):
    certificate, key = directory / "tls.crt", directory / "tls.key"
    subprocess.run(
        [
            required_tool("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def wait_for_nginx(front, process, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped:\n{log_path.read_text()}")
        try:
            if front.browser().get("/healthz").status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"nginx did not answer:\n{log_path.read_text()}")
        time.sleep(0.2)


@contextlib.contextmanager
def running_nginx(tmp, front):
    """nginx in front of `front.gunicorn_ports` (already serving) until the block ends."""
    nginx = required_tool("nginx")
    certificate, key = make_certificate(tmp)
    (tmp / "tiess.conf").write_text(
        render_site(
            http_port=front.http_port,
            https_port=front.https_port,
            gunicorn_ports=front.gunicorn_ports,
            static_root=front.static_root,
            certificate=certificate,
            key=key,
        )
    )
    # Workers run as the master's user: as root, keep root so they can read the test files.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user))
    front.tls = ssl.create_default_context(cafile=str(certificate))
    nginx_log = tmp / "nginx.log"
    with nginx_log.open("w") as log:
        process = subprocess.Popen(
            [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(nginx_log)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_nginx(front, process, nginx_log)
            yield front
        finally:
            stop_group(process)
