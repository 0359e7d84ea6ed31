"""Time the board's pages against /healthz and the admin's list of values, at several sizes.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/dashboard.py \
        [--repeat 15] [--sizes 200 800] [--profile] [--no-exports]

It builds a throwaway SQLite database in a temporary folder (deleted at the end), unless
DATABASE_URL is set, in which case it uses that database: give it an EMPTY throwaway database,
since the script migrates it, loads the 2018-2023 plan, creates the "Plan de démonstration"
and two users. Then, in one process with Django's test client, it measures the median time
of GET / (the dashboard, as a board member), of an orientation's and a result's page, of
GET /healthz, and of the admin's changelist of measurements (/admin/indicators/measurement/,
100 rows per page, as a superuser):

1. for the fixture plan (19 indicators, 5 periods, no values);
2. for generate_demo_data --indicators N --periods 20 --categories 17, for each N of --sizes
   (200 and 800 by default: 4 000 and 16 000 values).

Board pages are measured cold (the board's page cache cleared before each request: the page
is computed, as on the first visit after a save) and warm (served from the cache). It prints
the medians, the SQL query counts, the HTML sizes (the dashboard's budget is 250 KB at
N=200; a result's page shows its charts 10 at a time), and the goals of issue 21: cold
dashboard ÷ admin changelist ≤ 1× at every size, and the warm dashboard ÷ /healthz.
`--profile` adds a cProfile of one cold dashboard at the largest size. The machine's cores
are shared: quote the ratios of one run, not absolute times.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _prelude import django_start  # noqa: E402

WORKDIR = django_start("tiess-bench-dashboard-")

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
# Issue 21: a cold dashboard within the admin changelist's time, at every size.
COLD_GOAL = 1.0


def pages_of_current_plan():
    """[(name, URL, client, cold?)] measured at each size: the board pages of the current plan."""
    plan = StrategicPlan.objects.current()
    orientation = plan.orientations.order_by("number").first()
    result = orientation.results.order_by("number").first()
    return [
        ("dashboard cold", "/", "board", True),
        ("dashboard warm", "/", "board", False),
        ("orientation cold", orientation.get_absolute_url(), "board", True),
        ("result cold", result.get_absolute_url(), "board", True),
        ("healthz", "/healthz", "board", False),
        ("admin values", "/admin/indicators/measurement/", "admin", False),
    ]


def one_request_ms(client, url, cold):
    if cold:
        cache.clear()  # a miss: the page is computed and rendered, as after a save
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def queries_and_size(client, url, cold):
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    return len(queries), len(response.content)


def measure(clients, repeat):
    """{page: (median ms, queries, bytes)}. The pages take turns, one request each per round,
    so that a load on the shared cores weighs on every page alike (paired ratios)."""
    pages = pages_of_current_plan()
    for _name, url, who, _cold in pages:
        clients[who].get(url, secure=True)  # warm up: templates, caches
    times = {name: [] for name, _, _, _ in pages}
    for _ in range(repeat):
        for name, url, who, cold in pages:
            times[name].append(one_request_ms(clients[who], url, cold))
    return {
        name: (statistics.median(times[name]), *queries_and_size(clients[who], url, cold))
        for name, url, who, cold in pages
    }


def profile_cold_dashboard(client, top=25):
    """The cProfile of one cold dashboard: the functions that take the most time."""
    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get("/", secure=True)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


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


def generate_large_plan(indicators):
    """The demo plan (N indicators, P=20, C=17), made current; returns the seconds it took."""
    started = time.perf_counter()
    call_command(
        "generate_demo_data",
        indicators=indicators,
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
        f"{'size':<28}{'page':<18}{'median ms':>10}{'queries':>9}{'÷ healthz':>11}"
        f"{'÷ admin':>9}{'HTML KB':>9}"
    )
    for size, pages in results.items():
        health, admin = pages["healthz"][0], pages["admin values"][0]
        for name, (ms, queries, length) in pages.items():
            print(
                f"{size:<28}{name:<18}{ms:>10.1f}{queries:>9}{ms / health:>10.1f}×"
                f"{ms / admin:>8.2f}×{length / 1024:>9.1f}"
            )


def print_goals(results):
    """Issue 21's figures: cold dashboard ÷ admin changelist, warm dashboard ÷ /healthz."""
    sizes = list(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    for name in small:
        print(f"{name:<18} largest ÷ fixture: {large[name][0] / small[name][0]:.1f}×")
    print()
    for size in sizes[1:]:
        pages = results[size]
        cold = pages["dashboard cold"][0] / pages["admin values"][0]
        mark = "yes" if cold <= COLD_GOAL else "NO"
        print(f"{size}: cold dashboard ÷ admin changelist: {cold:.2f}× (goal ≤ 1×: {mark})")
        for name in ("orientation cold", "result cold"):
            ratio = pages[name][0] / pages["admin values"][0]
            print(f"{size}: {name} ÷ admin changelist: {ratio:.2f}×")
        warm = pages["dashboard warm"][0] / pages["healthz"][0]
        print(f"{size}: warm dashboard ÷ /healthz: {warm:.1f}×")
    print()
    for size, pages in results.items():
        print(f"dashboard HTML, {size}: {pages['dashboard cold'][2] / 1024:.1f} KB")
    for size, pages in results.items():
        # A result's page draws every indicator's row, and its charts 10 at a time.
        size_kb = pages["result cold"][2] / 1024
        print(f"result page HTML (first page of charts), {size}: {size_kb:.1f} KB")
    at_200 = next((p for s, p in results.items() if s.startswith("N=200,")), None)
    if at_200:
        budget = at_200["dashboard cold"][2] <= HTML_BUDGET
        print(f"dashboard at N=200 within {HTML_BUDGET // 1024} KB: {'yes' if budget else 'NO'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="Requests per page (median).")
    parser.add_argument(
        "--sizes", nargs="*", type=int, default=[200, 800], help="Indicators of the demo plans."
    )
    parser.add_argument("--profile", action="store_true", help="cProfile a cold dashboard.")
    parser.add_argument("--no-exports", action="store_true", help="Skip bench/exports.py.")
    parser.add_argument(
        "--export-scales", nargs="*", default=["1"], help="Sizes for bench/exports.py (1 4)."
    )
    args = parser.parse_args()
    setup_test_environment()  # lets the test client use the "testserver" host
    load_fixture_plan()
    clients = logged_in_clients()

    results = {"fixture (19 ind., 5 per.)": measure(clients, args.repeat)}
    generation = {}
    for indicators in args.sizes:
        generation[indicators] = generate_large_plan(indicators)
        results[f"N={indicators}, P=20, C=17"] = measure(clients, args.repeat)
    profile = profile_cold_dashboard(clients["board"]) if args.profile else ""

    print(f"Database: {connection.vendor}; {args.repeat} requests per page (median)")
    for indicators, seconds in generation.items():
        print(f"generate_demo_data N={indicators} P=20 C=17: {seconds:.1f} s")
    print()
    print_table(results)
    print()
    print_goals(results)
    if profile:
        print()
        print(f"cProfile of one cold dashboard at N={args.sizes[-1]}:")
        print(profile)
    if args.no_exports:
        return
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
