"""Hostile input (hypothesis): never a 500; rejected in French or stored and always escaped.

Examples run inside one test transaction; each example starts from a clean slate for the
indicator and period it writes (`reset`), so the examples do not depend on one another.
"""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Category, Evidence, Measurement
from indicators.rules.text_limits import COMMENT_MAX_CHARS
from tests import codes

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCRIPT = "<script>alert('x')</script>"
NASTY_TEXTS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    '=HYPERLINK("https://exemple.org";"clic")',
    "+1+1",
    "-2+3",
    "@SOMME(A1:A2)",
    "\tonglet",
    "Économie sociale – « coop » ✓ 日本語 🙂",
    "a\u202eb",  # right-to-left override
    "x" * 5000,
]
NASTY_NUMBERS = [
    "NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e400", "1E+30", "-1", "-0",
    "99999999999999999999", "999999999999,99", "1000000000000", "12,5", "12.5", "1 234",
    "1\u00a0234", "١٢", "１２", "0x10", "", " ", "12,345", "1e-7", "+5", "--5", "5-",
    "1,2,3", "½", "Ⅻ", "<b>3</b>",
]  # fmt: skip

FRENCH_NUMBER_ERROR = r"(n’est pas un nombre|négati|trop grand|Saisissez|chiffres)"
numbers = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=12),
)
texts = st.one_of(st.sampled_from(NASTY_TEXTS), st.text(max_size=300))


@pytest.fixture
def staff(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def reset(indicator, period):
    Measurement.objects.filter(indicator=indicator, period=period).delete()


def assert_escaped(page, text):
    """`text` appears escaped, never raw (when escaping changes it)."""
    escaped = html.escape(text)
    if escaped != text and len(text) > 3:
        # "a&" is a prefix of its own escaped form "a&amp;": look outside the escaped copies.
        assert text not in page.replace(escaped, "")


def assert_stored_value_is_sane(value):
    assert value is not None
    assert value.is_finite()
    assert Decimal(0) <= value < Decimal(10) ** 12


@pytest.mark.django_db
@HYPOTHESIS
@given(value=numbers, comment=texts, narrative=texts)
def test_measurement_form_never_fails_and_escapes(
    staff, count_indicator, period, value, comment, narrative
):
    reset(count_indicator, period)
    url = f"/indicateurs/{count_indicator.pk}/?periode={period.pk}"
    response = staff.post(
        url,
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            "value": value,
            "comment": comment,
            "narrative": narrative,
        },
    )
    assert response.status_code in {200, 302}
    stored = Measurement.objects.filter(indicator=count_indicator, period=period).first()
    if response.status_code == 200:
        # Refused: a French error next to the field, nothing stored, what was typed escaped.
        assert stored is None
        page = response.text
        assert "is-invalid" in page or "alert-danger" in page
        assert re.search(r"(nombre|valeur|caractère|Saisissez|trop)", page)
        assert_escaped(page, comment)
        return
    assert_stored_value_is_sane(stored.value)
    assert stored.value == stored.value.to_integral_value()  # a count
    page = staff.get(url).text
    assert_escaped(page, stored.comment)
    assert_escaped(page, stored.narrative)
    assert SCRIPT not in page


def import_file(rows, name="valeurs.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["code", "period", "status", "value", "comment"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


@pytest.mark.django_db
@HYPOTHESIS
@given(value=numbers, comment=texts)
def test_import_never_fails_and_stores_only_sane_values(
    staff, count_indicator, period, value, comment
):
    reset(count_indicator, period)
    code = f"{count_indicator.result.number}.{count_indicator.order}"
    upload = import_file([[code, period.name, "recorded", value, comment]])
    preview = staff.post("/saisie/import/", {"file": upload})
    assert preview.status_code == 200
    assert SCRIPT not in preview.text
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview.text)
    if token is None:
        # Refused at the preview: nothing stored.
        assert not Measurement.objects.filter(indicator=count_indicator, period=period).exists()
        return
    confirmed = staff.post("/saisie/import/", {"confirm": "1", "token": token.group(1)})
    assert confirmed.status_code in {200, 302}
    stored = Measurement.objects.filter(indicator=count_indicator, period=period).first()
    if confirmed.status_code == 302:
        assert_stored_value_is_sane(stored.value)


@pytest.mark.django_db
def test_import_rejects_non_numbers_with_a_french_message(staff, count_indicator, period):
    code = f"{count_indicator.result.number}.{count_indicator.order}"
    for bad in ("NaN", "Infinity", "1e400", "-3", "douze"):
        reset(count_indicator, period)
        upload = import_file([[code, period.name, "recorded", bad, SCRIPT]])
        response = staff.post("/saisie/import/", {"file": upload})
        assert response.status_code == 200
        assert 'name="token"' not in response.text, bad
        assert re.search(FRENCH_NUMBER_ERROR, response.text), bad
        assert not Measurement.objects.filter(indicator=count_indicator, period=period).exists()


@pytest.mark.django_db
@HYPOTHESIS
@given(name=st.one_of(st.sampled_from(NASTY_TEXTS[:8]), st.text(min_size=1, max_size=150)))
def test_category_names_are_escaped_everywhere(staff, plan_2018_2023, period, name):
    name = name.strip().replace("\x00", "") or "vide"
    indicator = codes.indicator("1.2")  # a count by category
    category, _created = Category.objects.get_or_create(
        dimension=indicator.dimension, name=name[:150], defaults={"order": 999}
    )
    page = staff.get(f"/indicateurs/{indicator.pk}/?periode={period.pk}").text
    assert category.name in html.unescape(page)  # shown as the label of its field
    assert_escaped(page, category.name)
    assert SCRIPT not in page
    category.delete()


@pytest.mark.django_db
@HYPOTHESIS
@given(comment=texts, category_name=st.sampled_from(NASTY_TEXTS[3:8]))
def test_csv_export_neutralises_formulas(
    staff, staff_user, plan_2018_2023, period, comment, category_name
):
    from indicators.recording.services import measurement_record

    indicator = codes.indicator("2.1")  # a count by category
    reset(indicator, period)
    category, _created = Category.objects.get_or_create(
        dimension=indicator.dimension, name=category_name, defaults={"order": 999}
    )
    measurement_record(
        indicator=indicator,
        period=period,
        user=staff_user,
        breakdown={category.pk: Decimal("2")},
        comment=comment.replace("\x00", "")[:COMMENT_MAX_CHARS],
        version=0,
    )
    response = staff.get("/saisie/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


# --- Uploaded evidence files ----------------------------------------------------------------

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def post_with_file(client, indicator, period, upload, value="3"):
    return client.post(
        f"/indicateurs/{indicator.pk}/?periode={period.pk}",
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            "value": value,
            "evidence_files": [upload],
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"<html><script>alert(1)</script></html>"),
        ("image.png", PDF),
        ("page.html", b"<html></html>"),
        ("script.svg", b"<svg onload='alert(1)'/>"),
        ("programme.exe", b"MZ\x90\x00"),
        ("rapport.pdf.exe", PDF),
        ("sans-extension", PDF),
    ],
)
def test_evidence_is_checked_by_content(staff, count_indicator, period, media_root, name, content):
    response = post_with_file(staff, count_indicator, period, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "Le fichier" in response.text or "Le contenu" in response.text
    assert not Evidence.objects.exists()
    assert not Measurement.objects.filter(indicator=count_indicator).exists()


@pytest.mark.django_db
def test_evidence_too_large_is_refused(staff, count_indicator, period, media_root, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("gros.pdf", PDF + b"0" * 2000)
    response = post_with_file(staff, count_indicator, period, upload)
    assert response.status_code == 200
    assert "trop volumineux" in response.text
    assert not Evidence.objects.exists()


@pytest.mark.django_db
@HYPOTHESIS
@given(stem=st.text(min_size=1, max_size=60))
def test_evidence_is_stored_under_an_unguessable_name_and_served_to_members_only(
    staff, count_indicator, period, media_root, stem
):
    reset_evidence = Evidence.objects.filter(measurement__indicator=count_indicator)
    reset_evidence.delete()
    reset(count_indicator, period)
    original = (stem.replace("\x00", "") or "x") + ".pdf"
    response = post_with_file(
        staff, count_indicator, period, SimpleUploadedFile(original, PDF, "application/pdf")
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(measurement__indicator=count_indicator)
    # A name reduced to ".pdf" by the upload parser (control characters) keeps no suffix.
    assert re.fullmatch(r"evidence/[0-9a-f]{32}(\.pdf)?", evidence.file.name)
    assert (media_root / evidence.file.name).read_bytes() == PDF
    assert evidence.content_type == "application/pdf"

    anonymous = Client().get(f"/preuves/{evidence.pk}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    download = staff.get(f"/preuves/{evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
