"""The upload readers stay under a stated memory bound on every hostile file of the corpus.

Each file is parsed in a child process whose address space is capped with
`resource.setrlimit(RLIMIT_AS, …)` at its size after start-up (Django, openpyxl and
defusedxml imported, the largest accepted file read once) plus MEMORY_BOUND. A reader that
inflated a bomb would hit the cap (MemoryError) instead of growing the worker; each must
instead end with its French refusal. The child also reports how much its peak resident size
(VmHWM) grew while reading the corpus.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security import hostile_files as hostile

pytestmark = pytest.mark.slow

MIB = 1024 * 1024
# What one request may add to a worker while reading an upload, at most.
MEMORY_BOUND = 256 * MIB

# file name → (builder, how it is read, outcome expected: a ValidationError code or "table")
CORPUS = {
    "shared-strings-1GiB.xlsx": (hostile.xlsx_shared_strings_bomb, "xlsx", "archive_too_large"),
    "shared-strings-lying.xlsx": (hostile.xlsx_shared_strings_bomb_lying, "xlsx", "unreadable"),
    "A1-XFD1048576.xlsx": (hostile.xlsx_declaring_whole_sheet, "xlsx", "too_large_table"),
    "far-row.xlsx": (hostile.xlsx_without_dimension_far_row, "xlsx", "too_large_table"),
    "wide-row.xlsx": (hostile.xlsx_wide_row, "xlsx", "too_large_table"),
    "styles.xlsx": (hostile.xlsx_styles_bomb, "xlsx", "too_complex"),
    "laughs.xlsx": (hostile.xlsx_billion_laughs, "xlsx", "unreadable"),
    "members.xlsx": (hostile.many_members, "xlsx", "archive_too_large"),
    "full-at-the-caps.xlsx": (hostile.xlsx_full_at_the_caps, "xlsx", "table"),
    "mimetype-2GiB.odt": (hostile.odt_mimetype_bomb, "evidence", "archive_too_large"),
    "mimetype-lying.odt": (hostile.odt_mimetype_bomb_lying, "evidence", "content_mismatch"),
    "218000-rows.csv": (
        lambda: hostile.csv_rows(218_000, "1.1;2018-2019\r\n"),
        "csv",
        "too_many_rows",
    ),
    "huge-field.csv": (
        lambda: hostile.csv_rows(1, "1.1;" + "x" * 4_000_000 + "\r\n"),
        "csv",
        "cell_too_long",
    ),
    "million-columns.csv": (
        lambda: hostile.csv_rows(1, "x;" * 2_000_000 + "\r\n"),
        "csv",
        "too_many_columns",
    ),
}

CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from indicators.rules import uploads
from indicators.recording.evidence import evidence_check_file

def vm(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

def read(kind, name, data):
    upload = SimpleUploadedFile(name, data)
    if kind == "xlsx":
        return uploads.xlsx_table(upload)
    if kind == "csv":
        return uploads.csv_table(data)
    return evidence_check_file(upload)

translation.activate("fr-ca")
folder, bound = sys.argv[1], int(sys.argv[2])
files = sorted(os.listdir(folder))
# Warm up: every module and code path a real request would have loaded already.
for kind, name, data in [("csv", "a.csv", b"a;b\r\n1;2\r\n"), ("xlsx", "a.xlsx", None)]:
    if data is None:
        data = open(os.path.join(folder, "xlsx--full-at-the-caps.xlsx"), "rb").read()
    read(kind, name, data)
data = None
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # the peak resident size (VmHWM) starts again from now
base, base_rss = vm("VmSize"), vm("VmRSS")
resource.setrlimit(resource.RLIMIT_AS, (base + bound, base + bound))
results = {}
for name in files:
    kind = name.split("--")[0]
    with open(os.path.join(folder, name), "rb") as handle:
        data = handle.read()
    started = time.process_time()
    try:
        read(kind, name.split("--")[1], data)
        outcome = "table"
    except ValidationError as error:
        outcome = error.code
    except MemoryError:
        outcome = "MemoryError"
    results[name] = {"outcome": outcome, "cpu": round(time.process_time() - started, 3)}
    data = None
print(json.dumps({"rss_growth": vm("VmHWM") - base_rss, "results": results}))
"""


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, (build, kind, _expected) in CORPUS.items():
        (folder / f"{kind}--{name}").write_bytes(build())
    return folder


def test_every_hostile_file_is_refused_within_the_memory_bound(corpus_folder):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiess.settings"}
    env.setdefault("SECRET_KEY", "tests-only-not-secret")
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus_folder), str(MEMORY_BOUND)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    outcomes = {name.split("--")[1]: r["outcome"] for name, r in report["results"].items()}
    assert outcomes == {name: expected for name, (_b, _k, expected) in CORPUS.items()}
    assert report["rss_growth"] < MEMORY_BOUND
    # Shown with `pytest -s`: the figures quoted in the closing note of issue 9.
    print(f"\npeak resident size above start-up: {report['rss_growth'] / MIB:.1f} MiB")
    for name, result in sorted(report["results"].items()):
        print(f"  {name}: {result['outcome']} in {result['cpu']} s of CPU")
