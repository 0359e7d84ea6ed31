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

Then, in another fresh subprocess, the writer against the library floors on the SAME cells
(the export's rows, read from the database once and held in memory, so that only writing is
timed): our XLSX (spreadsheets/writer.py) ÷ a minimal openpyxl write-only script appending the
same values, and ÷ a minimal XlsxWriter constant-memory script; our CSV (csv_lines, encoded)
÷ `csv.writer` on the same rows. Goals (issue 21): XLSX <= 1.5x the openpyxl write-only
floor, CSV <= 5x csv.writer. The timings of one line alternate (paired, same load); with
--repeat N each is the best of N.
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

FLOORS = r"""
import csv, datetime, io, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
import django
django.setup()
import xlsxwriter
from openpyxl import Workbook
from indicators.models import Measurement
from indicators.spreadsheets import values_export, writer

columns = values_export._columns()
keys = [column.key for column in columns]
headers = [str(column.header) for column in columns]
rows = list(values_export.export_rows(Measurement.objects.all()))

def ours_xlsx():
    writer.xlsx_write([writer.Sheet("Valeurs", columns, rows)], io.BytesIO())

def openpyxl_floor():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Valeurs")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    workbook.save(io.BytesIO())

def xlsxwriter_floor():
    workbook = xlsxwriter.Workbook(io.BytesIO(), {{"constant_memory": True}})
    sheet = workbook.add_worksheet("Valeurs")
    date = workbook.add_format({{"num_format": "yyyy-mm-dd hh:mm"}})
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for index, key in enumerate(keys):
            value = row.get(key)
            if isinstance(value, str):
                sheet.write_string(number, index, value)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(number, index, value, date)
            elif value is not None:
                sheet.write_number(number, index, value)
    workbook.close()

def ours_csv():
    for chunk in writer.csv_lines(columns, rows):
        chunk.encode("utf-8")

def csv_floor():
    out = csv.writer(io.StringIO(), delimiter=";")
    out.writerow(headers)
    for row in rows:
        out.writerow([row.get(key) for key in keys])

best = {{}}
for _ in range({repeat}):
    for job in (ours_xlsx, openpyxl_floor, xlsxwriter_floor, ours_csv, csv_floor):
        started = time.perf_counter()
        job()
        elapsed = time.perf_counter() - started
        best[job.__name__] = min(best.get(job.__name__, elapsed), elapsed)
print("FLOORS", len(rows) * len(keys), *(f"{{best[name]:.3f}}" for name in (
    "ours_xlsx", "openpyxl_floor", "xlsxwriter_floor", "ours_csv", "csv_floor")))
"""


def setup(env, scale, indicators=None):
    """Migrate, add the bench's superuser and the demo plan of 200·`scale` (or `indicators`)
    indicators; the number of values."""
    indicators = indicators or 200 * scale
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
call_command("generate_demo_data", indicators={indicators}, periods=20, categories=17,
             seed=1, current=True, verbosity=0, stdout=open(os.devnull, "w"))
from indicators.models import Measurement
print(Measurement.objects.count())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1])


def run_child(env, code, tag):
    """Run `code` in a fresh interpreter; the fields of its line starting with `tag`."""
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return next(x for x in done.stdout.splitlines() if x.startswith(tag)).split()[1:]


def child_env(workdir, size):
    """The environment of a child process at one plan size: production-like settings, and
    its own throwaway SQLite file unless DATABASE_URL is set."""
    env = dict(os.environ)
    env.setdefault("DEBUG", "0")
    env.setdefault("SECRET_KEY", "bench-only")
    env.setdefault("LOG_LEVEL", "WARNING")
    env.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir}/bench-{size}.sqlite3"
    return env


def scale_env(workdir, scale):
    env = child_env(workdir, scale)
    # The writers themselves, inside the request: past EXPORT_STREAM_MAX_ROWS the page would
    # offer the background export instead (bench/tasks.py times that path).
    env.setdefault("EXPORT_STREAM_MAX_ROWS", str(10**9))
    return env


def print_requests(env, label):
    for name, url in EXPORTS:
        seconds, grown, size, streamed = run_child(
            env, CHILD.format(root=str(ROOT), url=url), "RESULT"
        )
        print(
            f"{label:<26}{name:<8}{float(seconds):>9.2f}{float(grown):>15.1f}"
            f"{int(size):>11}  {'yes' if streamed == '1' else 'no'}"
        )


def print_floors(env, label, repeat):
    fields = run_child(env, FLOORS.format(root=str(ROOT), repeat=repeat), "FLOORS")
    cells = int(fields[0])
    ours_xlsx, openpyxl_floor, xlsxwriter_floor, ours_csv, csv_floor = map(float, fields[1:])
    print(
        f"{label:<26}{cells:>8}  XLSX {ours_xlsx:6.2f} s = "
        f"{ours_xlsx / openpyxl_floor:4.2f}x openpyxl write-only ({openpyxl_floor:.2f} s), "
        f"{ours_xlsx / xlsxwriter_floor:4.2f}x XlsxWriter ({xlsxwriter_floor:.2f} s); "
        f"CSV {ours_csv:5.2f} s = {ours_csv / csv_floor:4.2f}x csv.writer ({csv_floor:.2f} s)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--repeat", type=int, default=1, help="best of N for the floors")
    parser.add_argument(
        "--floors-only", action="store_true", help="skip the timed requests (writer vs floors)"
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="tiess-bench-exports-")
    try:
        runs = []
        for scale in args.scale:
            env = scale_env(workdir, scale)
            runs.append((env, f"N={200 * scale} ({setup(env, scale)} values)"))
        if not args.floors_only:
            print(
                f"{'size':<26}{'export':<8}{'seconds':>9}{'peak RSS +MiB':>15}{'bytes':>11}"
                "  streamed"
            )
            for env, label in runs:
                print_requests(env, label)
        print(f"\n{'size':<26}{'cells':>8}  writer ÷ library floors, on the same cells")
        for env, label in runs:
            print_floors(env, label, args.repeat)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
