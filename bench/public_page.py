"""Time the public progress page (anonymous) against /healthz and the board's dashboard.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/public_page.py [--repeat 9]

It builds a throwaway SQLite database in a temporary folder (deleted at the end), unless
DATABASE_URL is set (give it an EMPTY throwaway database). It loads the 2018-2023 plan, then
the large demo plan (generate_demo_data --indicators 200 --periods 20 --categories 17, 4 000
values), publishes it with all its indicators and stories and all its periods, and measures
with Django's test client the median time of the public page cold (page cache cleared before
each request) and warm (from the cache), of a result's public page (its charts) cold, of
/healthz and of the board's dashboard (cold), with their SQL query counts and HTML sizes.
The machine's cores are shared: quote ratios.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _prelude import django_start  # noqa: E402

WORKDIR = django_start("tiess-bench-public-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from indicators.models import Indicator, ReportingPeriod  # noqa: E402
from plan.models import StrategicPlan  # noqa: E402
from plan.roles import BOARD_GROUP  # noqa: E402


def median_ms(client, url, repeat, *, cold):
    client.get(url, secure=True)
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
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


def publish_large_plan():
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2018_2023", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command(
            "generate_demo_data",
            indicators=200,
            periods=20,
            categories=17,
            seed=1,
            current=True,
            verbosity=0,
            stdout=quiet,
        )
    plan = StrategicPlan.objects.current()
    StrategicPlan.objects.filter(pk=plan.pk).update(
        is_published=True, publishes_locked_periods_only=False
    )
    Indicator.objects.of_plan(plan).update(is_published=True, story_is_published=True)
    ReportingPeriod.objects.filter(plan=plan).update(is_locked=True)
    return plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="Requests per page (median).")
    args = parser.parse_args()
    setup_test_environment()
    plan = publish_large_plan()
    board = get_user_model().objects.create_user("bench-conseil", password=None)
    board.groups.add(Group.objects.get(name=BOARD_GROUP))
    anonymous, member = Client(), Client()
    member.force_login(board)
    public = f"/public/{plan.years}/"
    pages = [
        ("public page cold", anonymous, public, True),
        ("public page warm", anonymous, public, False),
        ("public result cold", anonymous, f"{public}resultats/1/", True),
        ("healthz", anonymous, "/healthz", False),
        ("dashboard cold", member, "/", True),
    ]
    results = {
        name: median_ms(client, url, args.repeat, cold=cold) for name, client, url, cold in pages
    }
    health = results["healthz"][0]
    print(f"Database: {connection.vendor}; large demo plan N=200, P=20, C=17, all published")
    print(f"{'page':<18}{'median ms':>10}{'queries':>9}{'÷ healthz':>11}{'HTML KB':>9}")
    for name, (ms, queries, length) in results.items():
        print(f"{name:<18}{ms:>10.1f}{queries:>9}{ms / health:>10.1f}×{length / 1024:>9.1f}")
    cold, warm = results["public page cold"][0], results["public page warm"][0]
    print(f"public page cold ÷ dashboard cold: {cold / results['dashboard cold'][0]:.2f}×")
    print(f"public page warm ÷ cold: {warm / cold:.3f}×")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
