"""Time the work moved to the task worker: every export through the task, the worker's memory,
the first board visit after a save, and the throughput of gunicorn (2 workers) against /healthz.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/tasks.py [--indicators 200 2000]
        [--skip-throughput] [--seconds 4]

For each size N, a throwaway SQLite database (or DATABASE_URL: an EMPTY throwaway database)
gets generate_demo_data --indicators N --periods 20 --categories 17 (bench/exports.py's setup;
its time is printed). The processes share a file cache (as app servers share Redis or a file
cache). Issue 21's done-when: at N=2000 no request for an export holds a worker more than 2 s,
and the file arrives through the task, in bounded memory.

- Exports (values CSV, values XLSX, board report XLSX, plan workbook), one after the other:
  a process opens the export link (GET: the offer, which counts the rows) and asks for the
  file (POST: the request only enqueues) as a person would, timing both in-process (what holds
  a gunicorn worker); then a fresh `db_worker --batch` process builds it. Its wait and build
  times come from the export's row; the worker's memory from its peak RSS (ru_maxrss) before
  and after the build, and the Python heap's peak during it (tracemalloc, with --tracemalloc:
  slower).
- Board: a value is saved (its commit bumps the data version and queues the warm), the worker
  runs, then a board member's first visit is timed; the same with BOARD_WARM_AFTER_SAVE=0
  (the first visit renders the page), then a visit served from the cache, for reference.
- Throughput: gunicorn with 2 workers on loopback (bench/load.py's client), 4 clients in
  threads, each path for --seconds: /healthz, the warm dashboard, the export link (GET, the
  offer), the export asked (POST, enqueued), /healthz again; each ÷ the mean of the two
  /healthz runs (paired: same load).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 (bench/load.py: its HTTP client and gunicorn helpers)
from exports import ROOT, child_env, setup  # noqa: E402 (bench/exports.py, beside this script)

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
from plan.models import StrategicPlan
PLAN = StrategicPlan.objects.get(is_current=True).pk
URLS = {{
    "values_csv": "/saisie/export.csv",
    "values_xlsx": "/saisie/export.xlsx",
    "board_report": "/rapport.xlsx",
    "plan_workbook": f"/admin/plan/strategicplan/{{PLAN}}/structure/",
}}
"""

ASK = (
    PRELUDE
    + """
client = Client()
client.force_login(get_user_model().objects.get(username="bench-admin"))
client.get("/healthz", secure=True)
url = URLS[sys.argv[1]]
def timed(method):
    started = time.perf_counter()
    response = method(url, secure=True)
    return response, time.perf_counter() - started
offer, first = timed(client.get)  # a fresh process: imports and templates loaded on the way
offer, offered = timed(client.get)  # as a long-lived gunicorn worker answers it
assert offer.status_code == 200 and b"<form" in offer.content, offer.status_code
response, asked = timed(client.post)
assert response.status_code == 302, response.status_code
print(f"ASKED {offered:.3f} {asked:.3f} {first:.3f}")
"""
)

WORKER = (
    PRELUDE
    + """
import tracemalloc
from django.core.management import call_command
traced = os.environ.get("BENCH_TRACEMALLOC") == "1"
if traced:
    tracemalloc.start()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
heap = tracemalloc.get_traced_memory()[1] / 2**20 if traced else -1
print(f"WORKER {elapsed:.2f} {(after - before) / 1024:.1f} {after / 1024:.1f} {heap:.1f}")
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
from django.db import connection
from django.test.utils import CaptureQueriesContext
client = Client()
client.force_login(get_user_model().objects.get(username="bench-board"))
client.get("/healthz", secure=True)
client.get("/exports/", secure=True)  # base.html and its tags loaded: not the visit's cost
def visit():
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", secure=True)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000, len(queries)
first, first_queries = visit()
again, _ = visit()
print(f"VISIT {first:.1f} {again:.1f} {first_queries}")
"""
)

PASSWORD = (
    PRELUDE
    + """
user = get_user_model().objects.get(username="bench-admin")
user.set_password(os.environ["BENCH_PASSWORD"])
user.save()
print("PASSWORD")
"""
)

KINDS = ("values_csv", "values_xlsx", "board_report", "plan_workbook")
LIMIT = 2.0  # seconds a request for an export may hold a worker (issue 21's done-when)


def run(script, env, tag, *args):
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [line.split()[1:] for line in done.stdout.splitlines() if line.startswith(tag)]


def load_average():
    return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def bench_export(env, label, kind):
    """Ask for one export, build it in a fresh worker; one line of figures."""
    ((offered, asked, first),) = run(ASK, env, "ASKED", kind)
    ((seconds, grown, peak, heap),) = run(WORKER, env, "WORKER")
    ((_kind, status, rows, wait, build, size),) = run(REPORT, env, "EXPORT")
    slowest = max(float(offered), float(asked))
    heap_text = f", heap peak {float(heap):.0f} MiB" if float(heap) >= 0 else ""
    print(
        f"{label:<24}{kind:<14} GET {float(offered):6.3f} s (fresh process {float(first):.3f})"
        f"  POST {float(asked):6.3f} s"
        f" [{'ok' if slowest <= LIMIT else 'OVER'} ≤ {LIMIT:.0f} s]  {status:<6}"
        f"{int(rows):>8} rows {int(size) / 2**20:7.2f} MiB  build {float(build):6.2f} s"
        f" (worker {float(seconds):.2f} s, waited {float(wait):.2f} s)"
        f"  RSS peak {float(peak):.0f} MiB (+{float(grown):.0f} while building{heap_text})"
        f"  [{load_average()}]",
        flush=True,
    )


def bench_first_visit(env, label):
    results = {}
    for warm in ("1", "0"):
        env = {**env, "BOARD_WARM_AFTER_SAVE": warm}
        run(SAVE, env, "SAVED")
        ((worker_seconds, _grown, _peak, _heap),) = run(WORKER, env, "WORKER")
        ((first, again, queries),) = run(VISIT, env, "VISIT")
        results[warm] = (float(first), float(again), float(worker_seconds), queries)
    warm_first, hit, warm_seconds, warm_queries = results["1"]
    cold_first, _, _, cold_queries = results["0"]
    print(
        f"{label:<24}first dashboard visit after a save: {warm_first:.0f} ms warmed by the worker"
        f" ({warm_queries} queries; {warm_seconds:.2f} s of worker), {cold_first:.0f} ms without"
        f" the warm ({cold_queries} queries); a cached visit: {hit:.0f} ms  [{load_average()}]",
        flush=True,
    )


def _post_loop(browsers, path, duration):
    """Each browser POSTs the export form (its CSRF token read once) for `duration` s."""
    tokens = {}
    for number, browser in browsers.items():
        _status, _headers, page = browser.request("GET", path, kind="warm-up")
        tokens[number] = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    deadline = time.monotonic() + duration
    counts = {"ok": 0, "failed": 0}

    def loop(number, browser):
        while time.monotonic() < deadline:
            status, _h, _p = browser.request(
                "POST", path, {"csrfmiddlewaretoken": tokens[number]}, kind="POST export"
            )
            counts["ok" if status == 302 else "failed"] += 1

    threads = [threading.Thread(target=loop, args=item) for item in browsers.items()]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["ok"] / (time.monotonic() - started), counts["failed"]


def _throughputs(browsers, seconds):
    for browser in browsers.values():  # each worker's page cache filled, imports done
        for path in ("/healthz", "/", "/saisie/export.xlsx"):
            for _ in range(3):
                browser.request("GET", path, kind="warm-up")
    runs = [
        ("/healthz", lambda: load.hammer(browsers, "/healthz", seconds, "healthz")),
        ("dashboard, warm", lambda: load.hammer(browsers, "/", seconds, "dashboard")),
        (
            "export link (GET, offer)",
            lambda: load.hammer(browsers, "/saisie/export.xlsx", seconds, "export offer"),
        ),
        ("export asked (POST)", lambda: _post_loop(browsers, "/saisie/export.xlsx", seconds)),
        ("/healthz again", lambda: load.hammer(browsers, "/healthz", seconds, "healthz")),
    ]
    return [(name, *measure(), load_average()) for name, measure in runs]


def bench_throughput(env, label, workdir, seconds):
    """Requests per second under gunicorn (2 workers), each ÷ /healthz (mean of two runs)."""
    env = {
        **load.server_environment(env["DATABASE_URL"], Path(workdir)),
        **{k: env[k] for k in ("CACHE_URL", "MEDIA_ROOT", "TASKS_BACKEND")},
        "EXPORT_STREAM_MAX_ROWS": "0",
        "BENCH_PASSWORD": load.PASSWORD,
    }
    run(PASSWORD, env, "PASSWORD")
    port = load.free_port()
    gunicorn = load.start_gunicorn(port, 2, env, Path(workdir))
    try:
        load.wait_until_listening(port)
        stats = load.Stats()
        browsers = {n: load.Browser(port, stats, "") for n in range(4)}
        for browser in browsers.values():
            browser.log_in("bench-admin")
        figures = _throughputs(browsers, seconds)
    finally:
        load.stop_gunicorn(gunicorn)
    health = (figures[0][1] + figures[-1][1]) / 2
    for name, per_second, failed, loaded in figures:
        print(
            f"{label:<24}{name:<26}{per_second:8.1f} req/s = {per_second / health:6.1%}"
            f" of /healthz ({failed} failed)  [{loaded}]",
            flush=True,
        )


def size_env(workdir, indicators):
    env = child_env(workdir, indicators)
    env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    env["EXPORT_STREAM_MAX_ROWS"] = "0"  # every export through the task, at every size
    env["CACHE_URL"] = f"filecache://{workdir}/cache-{indicators}"
    env["MEDIA_ROOT"] = f"{workdir}/media-{indicators}"
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--seconds", type=float, default=4.0, help="per throughput figure")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-visit", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true", help="the worker's heap peak")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tiess-bench-tasks-")
    try:
        for indicators in args.indicators:
            env = size_env(workdir, indicators)
            env["BENCH_TRACEMALLOC"] = "1" if args.tracemalloc else "0"
            started = time.perf_counter()
            values = setup(env, 1, indicators=indicators)
            label = f"N={indicators} ({values} values)"
            print(
                f"{label:<24}demo data: generate_demo_data --indicators {indicators} --periods 20"
                f" --categories 17 in {time.perf_counter() - started:.1f} s  [{load_average()}]",
                flush=True,
            )
            for kind in args.kinds:
                bench_export(env, label, kind)
            if not args.skip_visit:
                bench_first_visit(env, label)
            if not args.skip_throughput:
                bench_throughput(env, label, workdir, args.seconds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
