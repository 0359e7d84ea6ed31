"""Time the values exports (CSV and XLSX) and the memory they add to a worker.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/exports.py [--scale 1 4]

For each scale S it builds a throwaway SQLite database in a temporary folder (deleted at
the end), unless DATABASE_URL is set (give it an EMPTY throwaway database: the script
migrates it), with generate_demo_data --indicators 200·S --periods 20 --categories 17.
Each export then runs in a fresh subprocess (like a fresh gunicorn worker): it logs in as
a superuser, warms up with GET /healthz, times GET /saisie/export.csv or .xlsx, reading
the whole (streamed) body, and reports the growth of the peak resident memory
(resource.getrusage ru_maxrss) during that request. Goals (issue 13): XLSX <= 10 s and
CSV <= 2 s, each under +80 MiB, at S=1; both within gunicorn's 30 s at S=4.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
client.force_login(get_user_model().objects.get(username="bench-admin"))
url = {url!r}
# Warm up imports and templates on the same URL's headers only (no body read).
client.get("/healthz", secure=True)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
response = client.get(url, secure=True)
size = 0
if response.streaming:
    for chunk in response.streaming_content:
        size += len(chunk)
else:
    size = len(response.content)
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert response.status_code == 200, response.status_code
grown = (after - before) / 1024
print(f"RESULT {{elapsed:.2f}} {{grown:.1f}} {{size}} {{int(response.streaming)}}")
"""

EXPORTS = [("CSV", "/saisie/export.csv"), ("XLSX", "/saisie/export.xlsx")]


def setup(env, scale):
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", verbosity=0)
User = get_user_model()
if not User.objects.filter(username="bench-admin").exists():
    User.objects.create_superuser("bench-admin", password=None)
call_command("generate_demo_data", indicators={200 * scale}, periods=20, categories=17,
             seed=1, current=True, verbosity=0, stdout=open(os.devnull, "w"))
from indicators.models import Measurement
print(Measurement.objects.count())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tiess-bench-exports-")
    try:
        print(
            f"{'size':<26}{'export':<8}{'seconds':>9}{'peak RSS +MiB':>15}{'bytes':>11}  streamed"
        )
        for scale in args.scale:
            env = dict(os.environ)
            env.setdefault("DEBUG", "0")
            env.setdefault("SECRET_KEY", "bench-only")
            env.setdefault("LOG_LEVEL", "WARNING")
            # The writers themselves, inside the request: past EXPORT_STREAM_MAX_ROWS the page
            # would offer the background export instead (bench/tasks.py times that path).
            env.setdefault("EXPORT_STREAM_MAX_ROWS", str(10**9))
            env.setdefault(
                "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
            )
            if not os.environ.get("DATABASE_URL"):
                env["DATABASE_URL"] = f"sqlite:///{workdir}/bench-{scale}.sqlite3"
            values = setup(env, scale)
            for name, url in EXPORTS:
                child = CHILD.format(root=str(ROOT), url=url)
                done = subprocess.run(
                    [sys.executable, "-c", child],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
                seconds, grown, size, streamed = line.split()[1:]
                label = f"N={200 * scale} ({values} values)"
                print(
                    f"{label:<26}{name:<8}{float(seconds):>9.2f}{float(grown):>15.1f}"
                    f"{int(size):>11}  {'yes' if streamed == '1' else 'no'}"
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
