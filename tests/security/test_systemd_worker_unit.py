"""deploy/systemd/tiess-worker.service: the task worker beside the web service."""

import configparser
import os
import shutil
import subprocess

import pytest

from tests.security.prod_server import ROOT

UNIT = ROOT / "deploy" / "systemd" / "tiess-worker.service"
MAKEFILE = ROOT / "Makefile"


def read_unit():
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_the_worker_unit_runs_db_worker_with_the_web_services_environment():
    service = read_unit()["Service"]
    assert service["ExecStart"].endswith("make --no-print-directory serve-worker")
    assert service["EnvironmentFile"] == "/etc/tiess/tiess.env"
    assert service["Restart"] == "always"
    makefile = MAKEFILE.read_text()
    assert "manage.py db_worker --no-reload" in makefile.split("serve-worker:")[1]


def test_make_run_starts_the_worker_beside_the_server():
    run = MAKEFILE.read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "manage.py db_worker" in run
    assert "manage.py runserver" in run
    assert "trap" in run  # Ctrl+C stops both


def test_systemd_accepts_the_worker_unit():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing: CI must run this check.")
        pytest.skip("systemd-analyze is not installed on this machine (CI not set).")
    result = subprocess.run(
        [analyze, "verify", str(UNIT)], capture_output=True, text=True, timeout=60, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
