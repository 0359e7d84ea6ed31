"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest

# live_server runs the app in a thread while sync Playwright holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium is required in CI and was not found at {CHROMIUM}.")
    skip = pytest.mark.skip(reason="Chromium is not installed on this machine (CI not set).")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def log_in(live_server):
    """Log a person in through the real login form, as they would."""

    def _log_in(page, username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state()

    return _log_in
