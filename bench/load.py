#!/usr/bin/env python3
"""Load and fault test: gunicorn (2 workers) on loopback against PostgreSQL.

K staff members record and correct values concurrently (through the real forms, with the
optimistic-concurrency `version`) while board members read the dashboard; at the end every
acknowledged write (a 302 after POST) is looked up in the database and its history.

    .venv/bin/python bench/load.py                    # 30 s, 8 staff, 4 board members
    .venv/bin/python bench/load.py --fault            # restart PostgreSQL in the middle
    .venv/bin/python bench/load.py --postgres main    # use the machine's cluster 15/main
    .venv/bin/python bench/load.py --throughput       # warm dashboard ÷ /healthz, req/s

`--throughput` (issue 13) loads the demo plan N=200 P=20 C=17 as the current plan, then the
board members alone request /healthz for T/2 seconds, then the dashboard for T/2 seconds
(each worker computes it once, then serves its page cache), and it prints both throughputs
and their ratio (goal: the warm dashboard at least 20 % of /healthz).

By default PostgreSQL is a private, throwaway instance (initdb in a temporary folder, on a
free port), so that `--fault` restarts nobody else's database; `--postgres main` uses the
cluster that .ci/run uses (a throwaway database in it; `--fault` then runs
`pg_ctlcluster 15 main restart`, which interrupts every other client of that cluster).
All traffic goes to 127.0.0.1; the run is bounded in time and stops by itself. Run by hand,
as root (it calls runuser postgres); it is not part of the test suite.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 20
PASSWORD = "banc-d-essai-" + secrets.token_hex(8)

SETUP = """
import json
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from indicators.models import Indicator, MeasureKind, ReportingPeriod
from plan.models import StrategicPlan
from plan.roles import BOARD_GROUP, STAFF_GROUP

call_command("loaddata", "plan_2018_2023", verbosity=0)
plan = StrategicPlan.objects.get(title="Plan stratégique 2018-2023")
User = get_user_model()
password = make_password({password!r})
roles = ((STAFF_GROUP, "personnel", {staff}), (BOARD_GROUP, "conseil", {board}))
for group, prefix, count in roles:
    for number in range(1, count + 1):
        user = User.objects.create(username=f"{{prefix}}{{number}}", password=password,
                                   first_name=prefix.capitalize(), last_name=str(number))
        user.groups.add(Group.objects.get(name=group))
cells = []
indicators = Indicator.objects.of_plan(plan).filter(kind=MeasureKind.COUNT_BY_CATEGORY)
for indicator in indicators.select_related("dimension").prefetch_related("dimension__categories"):
    categories = [c.pk for c in indicator.dimension.categories.all()]
    for period in ReportingPeriod.objects.filter(plan=plan):
        cells.append({{"indicator": indicator.pk, "period": period.pk, "categories": categories}})
print("SETUP-JSON " + json.dumps({{"cells": cells}}))
"""


# --- PostgreSQL --------------------------------------------------------------------------


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def pg_bin(name):
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return str(versions[-1] / "bin" / name)


class PrivatePostgres:
    """A throwaway PostgreSQL instance in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="tiess-bench-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"

    def pg_ctl(self, *args):
        # The server inherits pg_ctl's output: send it to the log file, never to a pipe that
        # subprocess would wait on forever.
        with (self.folder / "pg_ctl.log").open("a") as log:
            subprocess.run(
                ["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D", str(self.data),
                 "-l", str(self.folder / "server.log"), *args],
                check=True, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip

    def start(self):
        run(["runuser", "-u", "postgres", "--", pg_bin("initdb"), "-D", str(self.data),
             "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=on"
        self.pg_ctl("-o", options, "-w", "start")
        run(["runuser", "-u", "postgres", "--", pg_bin("psql"), "-h", HOST, "-p", str(self.port),
             "-U", "postgres", "-q", "-c", "CREATE DATABASE tiess_bench"])  # fmt: skip
        return f"postgres://postgres@{HOST}:{self.port}/tiess_bench"

    def restart(self):
        self.pg_ctl("-m", "fast", "-w", "restart")

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class MainCluster:
    """The machine's cluster (as .ci/run starts it), with a throwaway database."""

    def __init__(self):
        self.version = Path(pg_bin("psql")).parent.parent.name
        self.database = f"tiess_bench_{os.getpid()}"

    def psql(self, sql):
        return run(["runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-q",
                    "-c", sql], cwd="/")  # fmt: skip

    def start(self):
        status = subprocess.run(["pg_ctlcluster", self.version, "main", "status"],
                                capture_output=True)  # fmt: skip
        if status.returncode != 0:
            run(["pg_ctlcluster", self.version, "main", "start"])
        for _ in range(30):
            if subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", "5432"]).returncode == 0:
                break
            time.sleep(1)
        self.psql(
            "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='tiess') "
            "THEN CREATE ROLE tiess LOGIN; END IF; END$$;"
        )
        self.psql("ALTER ROLE tiess WITH LOGIN CREATEDB PASSWORD 'tiess-ci'")
        self.psql(f"CREATE DATABASE {self.database} OWNER tiess")
        return f"postgres://tiess:tiess-ci@{HOST}:5432/{self.database}"

    def restart(self):
        subprocess.run(["pg_ctlcluster", self.version, "main", "restart"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def stop(self):
        try:
            self.psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        except subprocess.CalledProcessError as error:
            print(f"(could not drop {self.database}: {error.stderr.strip()})")


# --- HTTP --------------------------------------------------------------------------------


class Browser:
    """One person's cookies; one connection per request (gunicorn's sync workers close it)."""

    def __init__(self, port, stats, kind_prefix):
        self.port = port
        self.cookies = {}
        self.stats = stats
        self.prefix = kind_prefix

    def request(self, method, path, data=None, kind=None):
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "fr-CA"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            result = (status, dict(response.getheaders()), content.decode("utf-8", "replace"))
        except (OSError, http.client.HTTPException) as error:
            status = f"network:{type(error).__name__}"
            result = (status, {}, "")
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        self.stats.record(f"{self.prefix}{kind or method}", status, elapsed)
        return result

    def log_in(self, username):
        status, _headers, page = self.request("GET", "/accounts/login/", kind="login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, headers, _page = self.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            kind="login",
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: {status}")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (time, kind, status, latency)

    def record(self, kind, status, latency):
        with self.lock:
            self.samples.append((time.monotonic(), kind, status, latency))


# --- Workload ----------------------------------------------------------------------------

VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Ledger:
    """What the server acknowledged (302 after POST), and what it refused or failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged = []  # dicts: token, cell, sent_version, total
        self.attempted = []
        self.outcomes = Counter()

    def add(self, outcome, write):
        with self.lock:
            self.outcomes[outcome] += 1
            self.attempted.append(write)
            if outcome == "acknowledged":
                self.acknowledged.append(write)


def staff_worker(number, browser, cells, deadline, ledger, rng, counter):
    while time.monotonic() < deadline:
        cell = rng.choice(cells)
        path = f"/indicateurs/{cell['indicator']}/?periode={cell['period']}"
        status, _headers, page = browser.request("GET", path, kind="GET indicator")
        if status != 200:
            time.sleep(0.2)
            continue
        version_match, csrf_match = VERSION.search(page), CSRF.search(page)
        if not (version_match and csrf_match):
            ledger.add("form missing", {})
            continue
        version = int(version_match.group(1))
        with counter["lock"]:
            counter["n"] += 1
            token = f"bench-{number}-{counter['n']}"
        values = {f"cat_{pk}": rng.randint(0, 40) for pk in cell["categories"][:4]}
        data = {
            "csrfmiddlewaretoken": csrf_match.group(1),
            "period": cell["period"],
            "version": version,
            "status": "recorded",
            "comment": token,
            **values,
        }
        if version > 0:
            data["reason"] = f"Correction {token}"
        write = {"token": token, "cell": (cell["indicator"], cell["period"]),
                 "sent_version": version, "total": sum(values.values())}  # fmt: skip
        status, headers, page = browser.request("POST", path, data, kind="POST value")
        if status == 302:
            ledger.add("acknowledged", write)
        elif status == 200 and "depuis que vous avez ouvert le formulaire" in page:
            ledger.add("refused: someone saved first", write)
        elif status == 503:
            clean = "Service temporairement indisponible" in page and "Retry-After" in headers
            ledger.add("503 (clean page)" if clean else "503 (NOT the clean page)", write)
        else:
            ledger.add(f"other: {status}", write)


def board_worker(browser, cells, deadline, rng):
    while time.monotonic() < deadline:
        choice = rng.random()
        if choice < 0.6:
            browser.request("GET", "/", kind="GET dashboard")
        elif choice < 0.9:
            browser.request("GET", f"/indicateurs/{rng.choice(cells)['indicator']}/",
                            kind="GET indicator")  # fmt: skip
        else:
            browser.request("GET", "/rapport/", kind="GET report")


def hammer(browsers, path, duration, kind):
    """Every browser requests `path` in a loop for `duration` seconds; the request count."""
    deadline = time.monotonic() + duration
    counts = Counter()

    def loop(number, browser):
        while time.monotonic() < deadline:
            status, _headers, _page = browser.request("GET", path, kind=kind)
            counts[number, status] += 1

    threads = [threading.Thread(target=loop, args=(n, b), daemon=True) for n, b in browsers.items()]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 2 * REQUEST_TIMEOUT)
    elapsed = time.monotonic() - started
    ok = sum(n for (_number, status), n in counts.items() if status == 200)
    failed = sum(n for (_number, status), n in counts.items() if status != 200)
    return ok / elapsed, failed


def throughput(board, duration):
    """Warm dashboard throughput ÷ /healthz throughput, the same clients and workers."""
    for browser in board.values():  # fill each worker's page cache (a miss per worker)
        for _ in range(4):
            browser.request("GET", "/", kind="warm-up")
    health, health_failed = hammer(board, "/healthz", duration / 2, "GET /healthz")
    dashboard, dashboard_failed = hammer(board, "/", duration / 2, "GET dashboard (warm)")
    print(f"/healthz: {health:.1f} req/s ({health_failed} not 200)")
    print(f"dashboard, warm: {dashboard:.1f} req/s ({dashboard_failed} not 200)")
    print(f"warm dashboard ÷ /healthz throughput: {dashboard / health:.1%} (goal ≥ 20 %)")
    return 0 if not (health_failed or dashboard_failed) else 1


# --- Checks ------------------------------------------------------------------------------


def verify(database_url, ledger):
    """Every acknowledged write is in the history exactly once, and the final state agrees."""
    history, current = read_database(database_url)
    lost, duplicated, wrong, versions_by_cell = check_acknowledged(ledger, history)
    # Two acknowledged writes that produced the same version of a cell = a silent overwrite.
    overwritten = sum(len(v) - len(set(v)) for v in versions_by_cell.values())
    stale, inconsistent = check_final_state(versions_by_cell, current)
    return {
        "lost": lost,
        "duplicated": duplicated,
        "wrong": wrong + inconsistent,
        "overwritten": overwritten,
        "stale": stale,
        "unacknowledged_stored": count_unacknowledged_stored(ledger, history),
    }


def read_database(database_url):
    """The bench's history rows by token, and every cell's current state."""
    import psycopg2

    url = urllib.parse.urlparse(database_url)
    connection = psycopg2.connect(
        host=url.hostname, port=url.port, user=url.username, password=url.password or None,
        dbname=url.path.lstrip("/"),
    )  # fmt: skip
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT comment, value, version, indicator_id, period_id "
            "FROM indicators_historicalmeasurement WHERE comment LIKE 'bench-%%'"
        )
        history = defaultdict(list)
        for comment, value, version, indicator, period in cursor.fetchall():
            history[comment].append((value, version, (indicator, period)))
        cursor.execute(
            "SELECT m.indicator_id, m.period_id, m.version, m.comment, m.value, "
            "COALESCE((SELECT SUM(b.value) FROM indicators_measurementbreakdown b "
            "WHERE b.measurement_id = m.id), 0) FROM indicators_measurement m"
        )
        current = {(row[0], row[1]): row[2:] for row in cursor.fetchall()}
    connection.close()
    return history, current


def check_acknowledged(ledger, history):
    """Each acknowledged write against its history rows; the versions it made, by cell."""
    lost, duplicated, wrong = [], [], []
    versions_by_cell = defaultdict(list)
    for write in ledger.acknowledged:
        rows = history.get(write["token"], [])
        if not rows:
            lost.append(write["token"])
            continue
        if len(rows) > 1:
            duplicated.append(write["token"])
        value, version, cell = rows[0]
        if cell != write["cell"] or version != write["sent_version"] + 1:
            wrong.append((write["token"], "cell/version"))
        if value != write["total"]:
            wrong.append((write["token"], f"value {value} != {write['total']}"))
        versions_by_cell[write["cell"]].append(version)
    return lost, duplicated, wrong, versions_by_cell


def count_unacknowledged_stored(ledger, history):
    """Writes the server did not acknowledge but stored all the same."""
    return sum(
        1 for write in ledger.attempted
        if write and write not in ledger.acknowledged and write["token"] in history
    )  # fmt: skip


def check_final_state(versions_by_cell, current):
    """Cells older than an acknowledged write, and cells whose total differs from its breakdown."""
    stale, inconsistent = [], []
    for cell, versions in versions_by_cell.items():
        version, _comment, value, breakdown_total = current[cell]
        if version < max(versions):
            stale.append(cell)
        if value != breakdown_total:
            inconsistent.append((cell, "total differs from its breakdown"))
    return stale, inconsistent


# --- Report ------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(stats, started, finished, fault_window):
    samples = [s for s in stats.samples if started <= s[0] <= finished]
    duration = finished - started
    print(f"\nRequests: {len(samples)} in {duration:.1f} s = {len(samples) / duration:.1f} req/s")
    print(f"{'kind':24} {'count':>6} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    by_kind = defaultdict(list)
    for _t, kind, status, latency in samples:
        by_kind[kind].append((status, latency))
    for kind in sorted(by_kind):
        latencies = [latency * 1000 for _s, latency in by_kind[kind]]
        statuses = Counter(str(s) for s, _l in by_kind[kind])
        print(
            f"{kind:24} {len(latencies):6d} {percentile(latencies, 0.5):8.0f} "
            f"{percentile(latencies, 0.95):8.0f}  "
            + ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
        )
    errors = Counter(
        str(status)
        for _t, _k, status, _l in samples
        if not (isinstance(status, int) and status < 400)
    )
    print(
        "Errors by status: " + (", ".join(f"{s}: {n}" for s, n in sorted(errors.items())) or "none")
    )
    if fault_window:
        restart_began, restart_ended = fault_window
        failed = [
            t for t, _k, status, _l in samples if not (isinstance(status, int) and status < 500)
        ]
        ok_after = [t for t, _k, status, _l in samples
                    if t > restart_ended and isinstance(status, int) and status < 500]  # fmt: skip
        print(
            f"Fault: PostgreSQL restart took {restart_ended - restart_began:.1f} s "
            f"(from t={restart_began - started:.1f} s); failed requests: {len(failed)}"
            + (f", last failure at t={max(failed) - started:.1f} s" if failed else "")
            + (
                f"; first success after restart at t={min(ok_after) - started:.1f} s"
                if ok_after
                else "; NO success after the restart"
            )  # fmt: skip
        )


# --- Main --------------------------------------------------------------------------------


def parse_args():
    """The command line, with the duration bounded."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--staff", type=int, default=8, help="staff members writing (K)")
    parser.add_argument("--board", type=int, default=4, help="board members reading")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (T)")
    parser.add_argument("--fault", action="store_true", help="restart PostgreSQL mid-run")
    parser.add_argument("--postgres", choices=["private", "main"], default="private")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--throughput", action="store_true", help="warm dashboard ÷ /healthz on the demo plan"
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 300)  # bounded, whatever is asked
    return args


def stop_by_itself(duration):
    """Stop whatever happens: SIGTERM and the watchdog alarm exit through `main`'s `finally`."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped (SIGTERM)."))
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("Stopped: the run took too long."))
    signal.alarm(int(duration) + 240)


def server_environment(database_url, workdir):
    """The environment of manage.py and gunicorn: production settings, on loopback."""
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        # Static files are not what is measured: no collectstatic, no manifest.
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "DATABASE_RETRY_AFTER": "5",
    }


def prepare_database(args, env):
    """Migrate, load the plan and the users (and the demo plan); the indicator×period cells."""
    run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env)
    setup = SETUP.format(password=PASSWORD, staff=args.staff, board=args.board)
    output = run([str(PYTHON), "manage.py", "shell", "-c", setup], cwd=ROOT, env=env).stdout
    cells = json.loads(output.split("SETUP-JSON ", 1)[1])["cells"]
    if args.throughput:
        demo = ["--indicators", "200", "--periods", "20", "--categories", "17", "--current"]
        run([str(PYTHON), "manage.py", "generate_demo_data", *demo], cwd=ROOT, env=env)
    return cells


def start_gunicorn(port, workers, env, workdir):
    """Start gunicorn in its own session, logging to the work folder."""
    log = (workdir / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(
        [str(GUNICORN), "tiess.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    return gunicorn


def wait_until_listening(port):
    """Wait (30 s at most) until something accepts connections on the port."""
    for _ in range(120):
        try:
            with socket.create_connection((HOST, port), timeout=1):
                break
        except OSError:
            time.sleep(0.25)


def stop_gunicorn(gunicorn):
    """SIGTERM gunicorn's process group, SIGKILL it if it does not stop in time."""
    try:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(gunicorn.pid, signal.SIGKILL)


def print_setup(args, port, cells):
    """One line saying what is about to be measured."""
    print(
        f"gunicorn ({args.workers} workers) on {HOST}:{port}, PostgreSQL {args.postgres}; "
        + (
            f"throughput of {args.board} board members on the demo plan (N=200 P=20 C=17), "
            if args.throughput
            else f"{args.staff} staff writing, {args.board} board members reading, "
        )
        + f"{args.duration:.0f} s, {len(cells)} indicator×period cells"
        + (", PostgreSQL restarted mid-run" if args.fault else "")
    )


def log_everyone_in(args, port, stats):
    """A logged-in browser per staff and board member, by number."""
    # Everyone logs in through the login form before the clock starts.
    staff = {n: Browser(port, stats, "staff ") for n in range(1, args.staff + 1)}
    board = {n: Browser(port, stats, "board ") for n in range(1, args.board + 1)}
    for n, browser in staff.items():
        browser.log_in(f"personnel{n}")
    for n, browser in board.items():
        browser.log_in(f"conseil{n}")
    return staff, board


def run_load(args, postgres, cells, staff, board, ledger):
    """Staff write and board members read for the duration; start, end and fault window."""
    counter = {"n": 0, "lock": threading.Lock()}
    started = time.monotonic()
    deadline = started + args.duration
    threads = [
        threading.Thread(target=staff_worker, args=(n, browser, cells, deadline, ledger,
                         random.Random(args.seed * 1000 + n), counter), daemon=True)
        for n, browser in staff.items()
    ] + [
        threading.Thread(target=board_worker, args=(browser, cells, deadline,
                         random.Random(args.seed * 2000 + n)), daemon=True)
        for n, browser in board.items()
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    fault_window = None
    if args.fault:
        time.sleep(max(0.0, started + args.duration / 2 - time.monotonic()))
        restart_began = time.monotonic()
        postgres.restart()
        fault_window = (restart_began, time.monotonic())
    for thread in threads:
        thread.join(timeout=args.duration + 4 * REQUEST_TIMEOUT)
    return started, time.monotonic(), fault_window


def print_checks(database_url, ledger, workdir):
    """POST outcomes, the history check and the gunicorn log; whether the run was healthy."""
    print("POST outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(ledger.outcomes.items())))
    result = verify(database_url, ledger)
    print(
        f"History check: {len(result['duplicated'])} duplicated, {len(result['wrong'])} wrong, "
        f"{result['overwritten']} silent overwrites, {len(result['stale'])} cells older than "
        f"an acknowledged write; {result['unacknowledged_stored']} unacknowledged writes "
        "were stored anyway (the answer was lost, the write was not)"
    )
    for problem in (result["lost"] + result["duplicated"] + result["wrong"])[:10]:
        print(f"  problem: {problem}")
    print(f"{len(ledger.acknowledged)} acknowledged writes, {len(result['lost'])} lost")
    log_text = (workdir / "gunicorn.log").read_text()
    print(
        f"gunicorn log: {log_text.count('Database unavailable')} database-unavailable "
        f"errors logged with their traceback, {log_text.count('Internal Server Error')} "
        f"internal server errors, {log_text.count('[CRITICAL]')} critical lines"
    )
    return not (result["lost"] or result["duplicated"] or result["wrong"]
                or result["overwritten"] or result["stale"])  # fmt: skip


def main():
    """Set up PostgreSQL and gunicorn, run the load and check it; the exit status."""
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("Run as root: the bench runs PostgreSQL's tools as the postgres user.")
    stop_by_itself(args.duration)
    postgres = PrivatePostgres() if args.postgres == "private" else MainCluster()
    workdir = Path(tempfile.mkdtemp(prefix="tiess-bench-"))
    gunicorn = None
    try:
        database_url = postgres.start()
        port = free_port()
        env = server_environment(database_url, workdir)
        cells = prepare_database(args, env)
        # Assigned before the wait, so that a stop during it still stops gunicorn.
        gunicorn = start_gunicorn(port, args.workers, env, workdir)
        wait_until_listening(port)
        print_setup(args, port, cells)

        stats, ledger = Stats(), Ledger()
        staff, board = log_everyone_in(args, port, stats)
        if args.throughput:
            return throughput(board, args.duration)
        started, finished, fault_window = run_load(args, postgres, cells, staff, board, ledger)

        report(stats, started, finished, fault_window)
        return 0 if print_checks(database_url, ledger, workdir) else 1
    finally:
        if gunicorn is not None:
            stop_gunicorn(gunicorn)
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
