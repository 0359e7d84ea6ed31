"""deploy/systemd/tiess.service: `make serve-prod` under a memory cap that keeps the service up."""

import configparser
import os
import shutil
import subprocess

import pytest

from tests.security.prod_server import ROOT

UNIT = ROOT / "deploy" / "systemd" / "tiess.service"


def read_unit():
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_the_service_runs_serve_prod_under_a_memory_cap():
    service = read_unit()["Service"]
    assert service["ExecStart"].endswith("make --no-print-directory serve-prod")
    assert service["MemoryMax"] == "1G"
    # A worker killed at the cap is replaced by gunicorn; the service itself goes on.
    assert service["OOMPolicy"] == "continue"
    assert service["Restart"] == "on-failure"


def test_systemd_accepts_the_unit():
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
