"""Run `make serve-prod` (collectstatic, migrate, gunicorn) on loopback for a test module."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Variables the test run sets (the Makefile's TEST_ENV) that production leaves to the defaults.
RELAXED_FOR_TESTS = {
    "STATICFILES_STORAGE",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def production_environment(**overrides):
    """This process's environment with production defaults, plus `overrides`."""
    env = {key: value for key, value in os.environ.items() if key not in RELAXED_FOR_TESTS}
    env.update(overrides)
    return env


@contextlib.contextmanager
def serve_prod(env, log_path, *, port):
    """Start `make serve-prod` with `env`; yield once /healthz answers; stop it afterwards."""
    log = log_path.open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve-prod"],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, log_path, "gunicorn")
        yield process
    finally:
        stop_group(process)
        log.close()


def wait_for(url, process, log_path, name, timeout=120):
    """Poll `url` until it answers 200 (as if over HTTPS behind nginx); fail if `process` ends."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(f"{name} stopped:\n{log_path.read_text()}")
        try:
            if fetch(url, **{"X-Forwarded-Proto": "https"})[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{name} did not answer:\n{log_path.read_text()}")
        time.sleep(0.5)


def stop_group(process):
    """Stop the process group this test started (make, gunicorn's arbiter and its workers)."""
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
