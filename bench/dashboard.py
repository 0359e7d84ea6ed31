"""Time the board's dashboard against /healthz and the admin's list of values, at two sizes.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/dashboard.py [--repeat 15]

It builds a throwaway SQLite database in a temporary folder (deleted at the end), unless
DATABASE_URL is set, in which case it uses that database: give it an EMPTY throwaway database,
since the script migrates it, loads the 2018-2023 plan, creates the "Plan de démonstration"
and two users. Then, in one process with Django's test client, it measures the median time
of GET / (the dashboard, as a board member), GET /healthz, and the admin's changelist of
measurements (/admin/indicators/measurement/, 100 rows per page, as a superuser):

1. for the fixture plan (19 indicators, 5 periods, no values);
2. for generate_demo_data --indicators 200 --periods 20 --categories 17 (4 000 values).

The dashboard is measured cold (the board's page cache cleared before each request: the
page is computed) and warm (served from the cache). It prints the medians, the SQL query
counts, the HTML sizes (the dashboard's budget is
250 KB at the large size) and the ratios (page / healthz, and large / fixture). The
machine's cores are shared: quote the ratios of one run, not absolute times.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKDIR = tempfile.mkdtemp(prefix="tiess-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Templates render {% static %} without collectstatic.
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from plan.models import StrategicPlan  # noqa: E402
from plan.roles import BOARD_GROUP  # noqa: E402

# The dashboard's HTML budget at N=200, P=20, C=17 (issue 10).
HTML_BUDGET = 250 * 1024

PAGES = [
    ("dashboard cold", "/", "board"),
    ("dashboard warm", "/", "board"),
    ("healthz", "/healthz", "board"),
    ("admin values", "/admin/indicators/measurement/", "admin"),
]


def median_ms(client, url, repeat, cold=False):
    client.get(url, secure=True)  # warm up: templates, caches
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()  # a miss: the page is computed and rendered
        started = time.perf_counter()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    return statistics.median(times), len(queries), len(response.content)


def measure(clients, repeat):
    return {
        name: median_ms(clients[who], url, repeat, cold=name.endswith("cold"))
        for name, url, who in PAGES
    }


def logged_in_clients():
    """Test clients logged in as an administrator and as a board member."""
    User = get_user_model()
    admin = User.objects.create_superuser("bench-admin", password=None)
    board = User.objects.create_user("bench-conseil", password=None)
    board.groups.add(Group.objects.get(name=BOARD_GROUP))
    clients = {"admin": Client(), "board": Client()}
    clients["admin"].force_login(admin)
    clients["board"].force_login(board)
    return clients


def load_fixture_plan():
    """The 2018-2023 plan, loaded and made current."""
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2018_2023", verbosity=0)
    fixture_plan = StrategicPlan.objects.get(title="Plan stratégique 2018-2023")
    StrategicPlan.objects.update(is_current=False)
    StrategicPlan.objects.filter(pk=fixture_plan.pk).update(is_current=True)


def generate_large_plan():
    """The large demo plan (N=200, P=20, C=17), made current; returns the seconds it took."""
    started = time.perf_counter()
    call_command(
        "generate_demo_data",
        indicators=200,
        periods=20,
        categories=17,
        seed=1,
        current=True,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    return time.perf_counter() - started


def print_table(results):
    """One line per size and page: median, queries, ratios to healthz and to the admin list."""
    print(
        f"{'size':<28}{'page':<16}{'median ms':>10}{'queries':>9}{'÷ healthz':>11}"
        f"{'÷ admin':>9}{'HTML KB':>9}"
    )
    for size, pages in results.items():
        health, admin = pages["healthz"][0], pages["admin values"][0]
        for name, (ms, queries, length) in pages.items():
            print(
                f"{size:<28}{name:<16}{ms:>10.1f}{queries:>9}{ms / health:>10.1f}×"
                f"{ms / admin:>8.2f}×{length / 1024:>9.1f}"
            )


def print_ratios(results):
    """How each page grows with the plan, the dashboard against the admin list, its weight."""
    small, large = results.values()
    for name, _, _ in PAGES:
        print(f"{name:<14} large ÷ fixture: {large[name][0] / small[name][0]:.1f}×")
    for name in ("dashboard cold", "dashboard warm"):
        ratio = large[name][0] / large["admin values"][0]
        print(f"{name} ÷ admin values (large): {ratio:.2f}× (goal for cold: ≤ 2×)")
    print()
    for size, pages in results.items():
        print(f"dashboard HTML, {size}: {pages['dashboard cold'][2] / 1024:.1f} KB")
    budget = large["dashboard cold"][2] <= HTML_BUDGET
    print(f"large dashboard within {HTML_BUDGET // 1024} KB: {'yes' if budget else 'NO'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="Requests per page (median).")
    parser.add_argument(
        "--export-scales", nargs="*", default=["1"], help="Sizes for bench/exports.py (1 4)."
    )
    args = parser.parse_args()
    setup_test_environment()  # lets the test client use the "testserver" host
    load_fixture_plan()
    clients = logged_in_clients()

    results = {"fixture (19 ind., 5 per.)": measure(clients, args.repeat)}
    generation = generate_large_plan()
    results["N=200, P=20, C=17"] = measure(clients, args.repeat)

    print(f"Database: {connection.vendor}; {args.repeat} requests per page (median)")
    print(f"generate_demo_data N=200 P=20 C=17: {generation:.1f} s")
    print()
    print_table(results)
    print()
    print_ratios(results)
    print()
    print("Values exports at the large size (bench/exports.py, a fresh process each):")
    sys.stdout.flush()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exports.py"), "--scale", *args.export_scales],
        check=True,
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
