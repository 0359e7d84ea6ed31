"""Time the work moved to the task worker: exports through the task, and the first board visit
after a save (the board warmed by the worker, against no warm).

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/tasks.py [--scale 1 4]

For each scale S, a throwaway SQLite database (or DATABASE_URL: an EMPTY throwaway database)
gets generate_demo_data --indicators 200·S --periods 20 --categories 17 (bench/exports.py's
setup). The processes share a file cache (as app servers share Redis or a file cache).

- Exports: one process asks for the values CSV and XLSX as a person would (POST, the request
  only enqueues: its time is what holds a gunicorn worker), then a separate `db_worker
  --batch` process builds them; each export's wait and build times come from its row, the
  worker's memory from its peak RSS.
- Board: a value is saved (its commit bumps the data version and queues the warm), the worker
  runs, then a board member's first visit is timed; the same with BOARD_WARM_AFTER_SAVE=0
  (the first visit renders the page), then a visit served from the cache, for reference.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exports import ROOT, setup  # noqa: E402 (bench/exports.py, beside this script)

PRELUDE = f"""
import os, resource, sys, time
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
"""

ASK = (
    PRELUDE
    + """
from indicators.models import PreparedExport
client = Client()
client.force_login(get_user_model().objects.get(username="bench-admin"))
client.get("/healthz", secure=True)
for url in ("/saisie/export.csv", "/saisie/export.xlsx"):
    started = time.perf_counter()
    response = client.post(url, secure=True)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    print(f"ASKED {url} {elapsed:.3f}")
"""
)

WORKER = (
    PRELUDE
    + """
from django.core.management import call_command
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"WORKER {elapsed:.2f} {(after - before) / 1024:.1f} {after / 1024:.1f}")
"""
)

REPORT = (
    PRELUDE
    + """
from indicators.models import PreparedExport
for export in PreparedExport.objects.order_by("pk"):
    wait = (export.started_at - export.created_at).total_seconds()
    build = (export.finished_at - export.started_at).total_seconds()
    print(f"EXPORT {export.kind} {export.status} {export.rows_done} {wait:.2f} {build:.2f}"
          f" {export.file.size if export.file else 0}")
    export.file.delete(save=False)
    export.delete()
"""
)

SAVE = (
    PRELUDE
    + """
from decimal import Decimal
from django.contrib.auth.models import Group
from django.db import transaction
from indicators.models import Measurement
from plan.roles import BOARD_GROUP
User = get_user_model()
member, created = User.objects.get_or_create(username="bench-board")
if created:
    member.groups.add(Group.objects.get(name=BOARD_GROUP))
with transaction.atomic():
    measurement = Measurement.objects.filter(value__isnull=False).order_by("pk").first()
    measurement.value = (measurement.value or Decimal(0)) + 1
    measurement.save()
print("SAVED")
"""
)

VISIT = (
    PRELUDE
    + """
from django.core.cache import cache
client = Client()
client.force_login(get_user_model().objects.get(username="bench-board"))
client.get("/healthz", secure=True)
def visit():
    started = time.perf_counter()
    response = client.get("/", secure=True)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000
first = visit()
again = visit()
print(f"VISIT {first:.1f} {again:.1f}")
"""
)


def run(script, env, tag):
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return [line.split()[1:] for line in done.stdout.splitlines() if line.startswith(tag)]


def bench_exports(env, label):
    asked = run(ASK, env, "ASKED")
    started = time.perf_counter()
    ((worker_seconds, grown, peak),) = run(WORKER, env, "WORKER")
    for url, seconds in asked:
        print(f"{label:<26}request POST {url:<22}{float(seconds):>8.3f} s (enqueue only)")
    for kind, status, rows, wait, build, size in run(REPORT, env, "EXPORT"):
        print(
            f"{label:<26}{kind:<12} {status:<6} {int(rows):>8} rows  wait {float(wait):>6.2f} s"
            f"  build {float(build):>6.2f} s  {int(size):>10} bytes"
        )
    print(
        f"{label:<26}worker: {float(worker_seconds):.2f} s in all"
        f" ({time.perf_counter() - started:.2f} s with start-up), peak RSS {float(peak):.0f} MiB"
        f" (+{float(grown):.0f} MiB while building)"
    )


def bench_first_visit(env, label):
    results = {}
    for warm in ("1", "0"):
        env = {**env, "BOARD_WARM_AFTER_SAVE": warm}
        run(SAVE, env, "SAVED")
        ((worker_seconds, _grown, _peak),) = run(WORKER, env, "WORKER")
        ((first, again),) = run(VISIT, env, "VISIT")
        results[warm] = (float(first), float(again), float(worker_seconds))
    warm_first, hit, warm_seconds = results["1"]
    cold_first, _, _ = results["0"]
    print(
        f"{label:<26}first dashboard visit after a save: {warm_first:.0f} ms warmed by the worker"
        f" ({warm_seconds:.2f} s of worker), {cold_first:.0f} ms without the warm;"
        f" a cached visit: {hit:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tiess-bench-tasks-")
    try:
        for scale in args.scale:
            env = dict(os.environ)
            env.setdefault("DEBUG", "0")
            env.setdefault("SECRET_KEY", "bench-only")
            env.setdefault("LOG_LEVEL", "WARNING")
            env.setdefault(
                "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
            )
            env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
            env["EXPORT_STREAM_MAX_ROWS"] = "0"  # every export through the task
            env["CACHE_URL"] = f"filecache://{workdir}/cache-{scale}"
            env["MEDIA_ROOT"] = f"{workdir}/media-{scale}"
            if not os.environ.get("DATABASE_URL"):
                env["DATABASE_URL"] = f"sqlite:///{workdir}/bench-{scale}.sqlite3"
            values = setup(env, scale)
            label = f"N={200 * scale} ({values} values)"
            bench_exports(env, label)
            bench_first_visit(env, label)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
