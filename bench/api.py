#!/usr/bin/env python3
"""Time the API's answer for all the values of the large demo plan, against the admin's
changelist of values (issue 22).

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/api.py [--repeat 3]

It builds a throwaway SQLite database in a temporary folder (deleted at the end), unless
DATABASE_URL is set (give it an EMPTY throwaway database: the script migrates it), with the
large demo plan of bench/load.py (generate_demo_data --indicators 200 --periods 20
--categories 17 --current). A fresh subprocess (like a gunicorn worker) then warms up on
/healthz and times, best of --repeat:
- the API, with a personal token (`Authorization: Bearer …`), every value of the plan:
  /api/valeurs/?plan=<id>&page_size=1000, following « next » to the last page (JSON);
- the same in one CSV (?format=csv);
- the admin's changelist of values (/admin/indicators/measurement/, its first page of 100),
as a superuser;
and prints the seconds and the ratios API ÷ changelist.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SETUP = r"""
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
User = get_user_model()
if not User.objects.filter(username="bench-admin").exists():
    User.objects.create_superuser("bench-admin", password=None)
call_command("generate_demo_data", indicators=200, periods=20, categories=17,
             seed=1, current=True, verbosity=0, stdout=open(os.devnull, "w"))
from indicators.models import Measurement
from plan.models import StrategicPlan
plan = StrategicPlan.objects.current()
print(plan.pk, Measurement.objects.of_plan(plan).count())
"""

CHILD = r"""
import os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from indicators.api.tokens import token_create
setup_test_environment()
admin = get_user_model().objects.get(username="bench-admin")
_token, secret = token_create(owner=admin, name="bench " + str(time.time()))
api = Client(HTTP_AUTHORIZATION="Bearer " + secret)
browser = Client()
browser.force_login(admin)
api.get("/healthz", secure=True)


def all_values():
    url, rows = "/api/valeurs/?plan={plan}&page_size=1000", 0
    while url:
        page = api.get(url, secure=True)
        assert page.status_code == 200, page.status_code
        body = page.json()
        rows += len(body["results"])
        url = body["next"]
    return rows


def csv_values():
    answer = api.get("/api/valeurs/?plan={plan}&format=csv", secure=True)
    assert answer.status_code == 200, answer.status_code
    return answer.content.count(b"\r\n") - 1


def changelist():
    answer = browser.get("/admin/indicators/measurement/", secure=True)
    assert answer.status_code == 200, answer.status_code
    return 100


for name, read in (("api-json", all_values), ("api-csv", csv_values), ("admin", changelist)):
    best, rows = None, 0
    for _ in range({repeat}):
        started = time.perf_counter()
        rows = read()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print("RESULT", name, f"{{best:.3f}}", rows)
"""


def _env(workdir):
    env = dict(os.environ)
    env.setdefault("DEBUG", "0")
    env.setdefault("SECRET_KEY", "bench-only")
    env.setdefault("LOG_LEVEL", "WARNING")
    env.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
    # No throttling during the measure (the demo plan's values take several pages).
    env.setdefault("API_THROTTLE_USER", "100000/minute")
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir}/bench-api.sqlite3"
    return env


def _run(script, env):
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tiess-bench-api-")
    try:
        env = _env(workdir)
        plan, values = _run(SETUP.format(root=str(ROOT)), env).split()[-2:]
        output = _run(CHILD.format(root=str(ROOT), plan=plan, repeat=args.repeat), env)
        results = {}
        for line in output.splitlines():
            if line.startswith("RESULT"):
                _, name, seconds, rows = line.split()
                results[name] = (float(seconds), int(rows))
        print(f"demo plan N=200 P=20 C=17: {values} values; best of {args.repeat}")
        for name, (seconds, rows) in results.items():
            print(f"  {name:<10}{seconds:>8.3f} s  {rows:>6} rows")
        admin = results["admin"][0]
        for name in ("api-json", "api-csv"):
            print(f"  {name} ÷ admin changelist: {results[name][0] / admin:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
