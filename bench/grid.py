"""Time the entry grid /saisie/<period>/ against the admin's list of values, and the save of
a whole period.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/grid.py [--repeat 9] [--page-only]

A throwaway SQLite database in a temporary folder (deleted at the end), unless DATABASE_URL
is set: give it an EMPTY throwaway database (the script migrates it). It loads the demo plan
generate_demo_data --indicators 200 --periods 20 --categories 17, as the current plan, and
in one process with Django's test client it measures:

1. the median time, SQL queries and HTML size of GET /saisie/<last period>/ (as a staff
   member) and of the admin's changelist of measurements (100 rows a page, as a superuser),
   and their ratio (goals: grid ≤ 1× the admin list, ≤ 250 KB);
   A plan this large is shown one orientation at a time: the grid measured is the first
   orientation's page, as a person opening /saisie/<period>/ gets it;
2. the save of the whole last period: its values are removed, then every page of the grid
   (each orientation) is posted with a value in every row (one request a page, each row in
   its own transaction), the seconds the POSTs took (goal: 200 rows in ≤ 3 s) and their SQL
   queries (in all and per row); left out with --page-only.

The machine's cores are shared: quote the ratios of one run more than absolute times.
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _prelude import django_start  # noqa: E402

WORKDIR = django_start("tiess-bench-grid-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from indicators.models import Measurement, ReportingPeriod  # noqa: E402
from plan.models import StrategicPlan  # noqa: E402
from plan.roles import STAFF_GROUP  # noqa: E402

HTML_BUDGET = 250 * 1024
SAVE_GOAL_SECONDS = 3.0


def _timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return (time.perf_counter() - started) * 1000


def _queries_and_size(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    return len(queries), len(response.content)


def median_ms(pages, repeat):
    """[(median ms, queries, bytes)] of GET each (client, url) of `pages`. The pages are
    requested in turn, `repeat` rounds, so that a change in the machine's load (its cores
    are shared) weighs on each alike."""
    for client, url in pages:
        client.get(url, secure=True)  # warm up: templates, translations
    times = [[] for _ in pages]
    for _ in range(repeat):
        for index, (client, url) in enumerate(pages):
            times[index].append(_timed_get(client, url))
    return [
        (statistics.median(spent), *_queries_and_size(client, url))
        for spent, (client, url) in zip(times, pages, strict=True)
    ]


def clients():
    User = get_user_model()
    admin = User.objects.create_superuser("bench-admin", password=None)
    staff = User.objects.create_user("bench-personnel", password=None)
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    admin_client, staff_client = Client(), Client()
    admin_client.force_login(admin)
    staff_client.force_login(staff)
    return admin_client, staff_client


def build():
    call_command("migrate", verbosity=0)
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


INPUT = re.compile(r"<(input|textarea|select)\b[^>]*>", re.S)
NAME = re.compile(r'\bname="([^"]+)"')
VALUE = re.compile(r'\bvalue="([^"]*)"')


def page_fields(html):
    """The fields a browser would post from the grid's form (no JavaScript), with a value
    typed in every empty value input: 1 in numbers, level 2, a narrative."""
    form = html.split('class="entry-grid', 1)[1].split("</form>", 1)[0]
    data = []
    for match in INPUT.finditer(form):
        tag = match.group(0)
        name = NAME.search(tag)
        if not name or "disabled" in tag:
            continue
        name = name.group(1)
        value = VALUE.search(tag)
        value = value.group(1) if value else ""
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        if match.group(1) == "select":
            value = "2"
        elif re.search(r"-(value|cat_\d+)$", name) and not value:
            value = "1"
        elif name.endswith("-narrative"):
            value = "Récit du banc d'essai."
        data.append((name, value))
        if name.endswith("-version"):
            # The made-up values are far from the previous period's: confirmed.
            data.append((name.replace("-version", "-confirmed"), "on"))
    return data


def grid_page_urls(client, url):
    """Every page of the grid: each orientation (a large plan shows one at a time), and each
    page of it (a page's form stays under the POST field limit)."""
    html = client.get(url, secure=True).content.decode()
    orientations = re.findall(r'href="\?(orientation=\d+)"', html) or [""]
    urls = []
    for orientation in orientations:
        first = f"{url}?{orientation}"
        urls.append(first)
        html = client.get(first, secure=True).content.decode()
        for query in re.findall(r'class="page-link" href="\?([^"]+)"', html):
            urls.append(f"{url}?{query.replace('&amp;', '&')}")
    return list(dict.fromkeys(urls))


class QueryCount:
    """Counts the SQL queries run while installed (connection.execute_wrapper), at no cost
    worth measuring, unlike CaptureQueriesContext's debug cursor."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def save_whole_period(client, period):
    """Remove the period's values, then post every page of its grid with a value in every
    row; (seconds of the POSTs, requests, rows saved, SQL queries of the POSTs)."""
    Measurement.objects.filter(period=period).delete()
    urls = grid_page_urls(client, f"/saisie/{period.pk}/")
    seconds = 0.0
    queries = QueryCount()
    for url in urls:
        html = client.get(url, secure=True).content.decode()
        data = {}
        for name, value in page_fields(html):
            data.setdefault(name, []).append(value)
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = client.post(url, data, secure=True)
        seconds += time.perf_counter() - started
        if response.status_code not in (200, 302):
            raise SystemExit(f"POST {url} answered {response.status_code}")
    saved = Measurement.objects.filter(period=period).count()
    return seconds, len(urls), saved, queries.count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="Requests per page (median).")
    parser.add_argument(
        "--page-only", action="store_true", help="Time the pages only, not the whole-period save."
    )
    args = parser.parse_args()
    setup_test_environment()
    generation = build()
    admin, staff = clients()
    plan = StrategicPlan.objects.current()
    period = ReportingPeriod.objects.filter(plan=plan).order_by("start_date").last()
    grid, changelist = median_ms(
        [(staff, f"/saisie/{period.pk}/"), (admin, "/admin/indicators/measurement/")], args.repeat
    )
    print(f"Database: {connection.vendor}; {args.repeat} requests per page (median)")
    print(f"generate_demo_data N=200 P=20 C=17: {generation:.1f} s")
    print(f"{'page':<16}{'median ms':>10}{'queries':>9}{'HTML KB':>9}")
    for name, (ms, queries, length) in (("grid", grid), ("admin values", changelist)):
        print(f"{name:<16}{ms:>10.1f}{queries:>9}{length / 1024:>9.1f}")
    print(f"grid ÷ admin changelist: {grid[0] / changelist[0]:.2f}× (goal ≤ 1×)")
    within = "yes" if grid[2] <= HTML_BUDGET else "NO"
    print(f"grid HTML {grid[2] / 1024:.1f} KB, within {HTML_BUDGET // 1024} KB: {within}")
    if args.page_only:
        return
    seconds, requests, saved, queries = save_whole_period(staff, period)
    print(
        f"whole-period save: {saved} rows in {seconds:.2f} s, {requests} POST "
        f"(one per orientation page; goal: 200 rows in ≤ {SAVE_GOAL_SECONDS:.0f} s)"
    )
    print(f"whole-period save: {queries} SQL queries, {queries / max(saved, 1):.1f} per row")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
