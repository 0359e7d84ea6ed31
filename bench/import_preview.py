"""Time the previews of the two imports (values, plan workbook), and what they write.

Usage (by hand, not part of the test suite):

    DEBUG=0 SECRET_KEY=bench-only .venv/bin/python bench/import_preview.py [--repeat 5]

It builds a throwaway SQLite database in a temporary folder (deleted at the end), unless
DATABASE_URL is set (give it an EMPTY throwaway database: the script migrates it), loads the
2018-2023 plan and runs generate_demo_data --indicators 30 --periods 10 --categories 5. Then,
with Django's test client:

1. values: the CSV export of every value, each row's comment changed and a reason given (N
   corrections), is previewed (POST /saisie/import/ with the file; nothing confirmed);
2. plan workbook: the demonstration plan's structure workbook is previewed (POST to the
   admin's structure import).

It prints the median time of each preview, per row, its SQL queries, and among them the
writes (INSERT, UPDATE, DELETE, but those of the session) and the rollbacks (to a
savepoint): a preview that validates without writing has neither.
"""

import argparse
import collections
import csv
import io
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _prelude import django_start  # noqa: E402

WORKDIR = django_start("tiess-bench-")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from indicators.models import Measurement  # noqa: E402
from plan.models import StrategicPlan  # noqa: E402

IMPORT_URL = "/saisie/import/"
WORKBOOK_URL = "/admin/plan/strategicplan/importer-structure/"


def corrections(client):
    """The export of every value, each comment changed and a reason given; (bytes, rows)."""
    text = client.get("/saisie/export.csv", secure=True).getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    comment, reason = header.index("Commentaire"), header.index("Raison de la modification")
    for row in rows[1:]:
        row[comment] = f"{row[comment]} (revu)"
        row[reason] = "Revue annuelle"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8"), len(rows) - 1


def writes(queries):
    """(data writes, rollbacks) among `queries`; the session's own row is not counted."""
    statements = [query["sql"].lstrip().upper() for query in queries]
    data = [
        sql
        for sql in statements
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) and "DJANGO_SESSION" not in sql
    ]
    return len(data), sum(sql.startswith("ROLLBACK") for sql in statements)


def timed(post, repeat):
    """Median ms of `post()` over `repeat` runs; the queries and writes of one more run."""
    post()  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        post()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = post()
    return statistics.median(times), len(queries), writes(queries), response


def values_preview(client, repeat):
    content, count = corrections(client)

    def post():
        upload = SimpleUploadedFile("valeurs.csv", content)
        return client.post(IMPORT_URL, {"file": upload}, secure=True)

    median, queries, written, response = timed(post, repeat)
    preview = response.context["preview"]
    assert preview.is_valid, [row.errors for row in preview.rows if row.errors][:3]
    return "values", count, median, queries, written


def workbook_preview(client, repeat, plan):
    content = client.get(f"/admin/plan/strategicplan/{plan.pk}/structure/", secure=True).content
    fields = {"title": "Plan importé", "start_year": 2090, "end_year": 2095}

    def post():
        upload = SimpleUploadedFile("structure.xlsx", content)
        return client.post(WORKBOOK_URL, {**fields, "file": upload}, secure=True)

    median, queries, written, response = timed(post, repeat)
    preview = response.context["preview"]
    assert preview.is_valid, [str(error) for error in preview.errors][:3]
    return "plan workbook", sum(dict(preview.count_rows()).values()), median, queries, written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Previews per import (median).")
    args = parser.parse_args()
    setup_test_environment()
    connection.queries_log = collections.deque(maxlen=1_000_000)
    call_command("migrate", verbosity=0)
    call_command("loaddata", "plan_2018_2023", verbosity=0)
    call_command(
        "generate_demo_data",
        indicators=30,
        periods=10,
        categories=5,
        seed=1,
        current=True,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    admin = get_user_model().objects.create_superuser("bench-admin", password=None)
    client = Client()
    client.force_login(admin)
    plan = StrategicPlan.objects.get(is_current=True)

    print(f"Database: {connection.vendor}; {args.repeat} previews each (median)")
    print(f"Values of the current plan (each one corrected): {Measurement.objects.count()}")
    print(
        f"{'preview':<15}{'rows':>7}{'median ms':>11}{'ms/row':>8}{'queries':>9}"
        f"{'writes':>8}{'rollbacks':>11}"
    )
    for name, rows, median, queries, (written, rollbacks) in (
        values_preview(client, args.repeat),
        workbook_preview(client, args.repeat, plan),
    ):
        print(
            f"{name:<15}{rows:>7}{median:>11.0f}{median / rows:>8.2f}{queries:>9}"
            f"{written:>8}{rollbacks:>11}"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
