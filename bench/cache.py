"""Compare the cache backends the app can share between processes: get/set and a board hit.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/cache.py [--indicators 200] [--repeat 30]

It builds a throwaway SQLite database in a temporary folder (deleted at the end), unless
DATABASE_URL is set (give it an EMPTY throwaway database: the script migrates it and loads a
demo plan). For each backend (the per-process memory cache as the floor, the file cache, the
database cache in that database and, when Debian's redis-server is installed, Redis on a
loopback port) it measures, in one process:

- set and get of the dashboard's cached parts (the real value, its size printed), median µs;
- GET / as a board member served from the cache (a hit), median ms, and the same page
  computed (cache cleared before each request, a miss) for scale.

The machine's cores are shared: quote the ratios of one run, not absolute times.
"""

import argparse
import contextlib
import os
import pickle
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _prelude import django_start  # noqa: E402

WORKDIR = django_start("tiess-bench-cache-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from plan.roles import BOARD_GROUP  # noqa: E402

DB_TABLE = "tiess_cache"
DB_NAME = f"database ({connection.vendor})"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_server():
    """Debian's redis-server on a loopback port, or None when it is not installed."""
    path = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(path, os.X_OK):
        yield None
        return
    port = free_port()
    process = subprocess.Popen(
        [path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def backends(redis_url):
    found = {
        "locmem (per process)": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": f"{WORKDIR}/file-cache",
        },
        DB_NAME: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DB_TABLE,
        },
    }
    if redis_url:
        found["redis"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    return found


def board_client():
    user = get_user_model().objects.create_user("bench-conseil-cache", password=None)
    user.groups.add(Group.objects.get(name=BOARD_GROUP))
    client = Client()
    client.force_login(user)
    return client


def median_us(action, repeat):
    times = []
    for index in range(repeat):
        started = time.perf_counter()
        action(index)
        times.append((time.perf_counter() - started) * 1e6)
    return statistics.median(times)


def page_times(client, count, *, cold):
    """`count` timings (ms) of GET / with the current cache: hits, or misses if `cold`."""
    client.get("/", secure=True)  # fills the cache
    times = []
    for _ in range(count):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get("/", secure=True)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def measure(client, configs, value, repeat):
    """{backend: (set µs, get µs, hit ms, miss ms)}. Page timings are taken in rounds that
    visit every backend in turn, so that the load of the shared machine weighs on each alike."""
    operations, hits, misses = {}, {name: [] for name in configs}, {name: [] for name in configs}
    keys = [f"bench-cache:{index}" for index in range(repeat)]
    rounds = max(1, repeat // 10)
    for round_ in range(rounds):
        for name, config in configs.items():
            with override_settings(CACHES={"default": config}):
                if round_ == 0:
                    cache.clear()
                    set_us = median_us(lambda i: cache.set(keys[i], value, 600), repeat)
                    get_us = median_us(lambda i: cache.get(keys[i]), repeat)
                    operations[name] = (set_us, get_us)
                hits[name] += page_times(client, 10, cold=False)
                misses[name] += page_times(client, 2, cold=True)
    return {
        name: (*operations[name], statistics.median(hits[name]), statistics.median(misses[name]))
        for name in configs
    }


def dashboard_value(client):
    """The dashboard's cached parts, as the board's page cache stores them."""
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        cache.clear()
        client.get("/", secure=True)
        stored = caches["default"]._cache  # locmem: made key → pickled value
        (value,) = [pickle.loads(v) for k, v in stored.items() if "board-page:" in k]  # noqa: S301
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command(
        "generate_demo_data",
        indicators=args.indicators,
        periods=20,
        categories=17,
        seed=1,
        current=True,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    client = board_client()
    value = dashboard_value(client)
    with redis_server() as redis_url:
        configs = backends(redis_url)
        with override_settings(CACHES={"default": configs[DB_NAME]}):
            call_command("createcachetable", verbosity=0)
        results = measure(client, configs, value, args.repeat)
    print(
        f"Database: {connection.vendor}; N={args.indicators}, P=20, C=17; "
        f"{args.repeat} operations or requests each (median)"
    )
    print(f"Dashboard's cached value: {len(pickle.dumps(value)) / 1024:.1f} KB pickled")
    print(
        f"{'backend':<24}{'set µs':>9}{'get µs':>9}{'hit ms':>8}{'miss ms':>9}{'hit ÷ locmem':>13}"
    )
    floor = results["locmem (per process)"][2]
    for name, (set_us, get_us, hit, miss) in results.items():
        print(f"{name:<24}{set_us:>9.0f}{get_us:>9.0f}{hit:>8.1f}{miss:>9.1f}{hit / floor:>12.2f}×")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
