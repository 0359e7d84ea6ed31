"""Evidence files on an S3-compatible bucket (FILE_STORAGE=s3): stored and read through the
storage API only, served by the app after its permission checks, never from the bucket."""

import hashlib
import json

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from indicators.models import Evidence
from tiess.storage import LOCAL_BACKEND, default_storage_setting

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload_evidence(client, indicator, period, categories, content=PDF):
    response = client.post(
        indicator.get_absolute_url(),
        {
            "period": period.pk,
            "version": 0,
            "status": "recorded",
            f"cat_{categories[0].pk}": "3",
            "evidence_files": [SimpleUploadedFile("Rapport annuel.pdf", content)],
        },
    )
    assert response.status_code == 302
    return Evidence.objects.get(url="")


def test_evidence_uploaded_through_the_app_is_stored_in_the_bucket_and_read_back(
    s3_bucket, staff_client, tools_indicator, period, categories, media_root
):
    s3, bucket = s3_bucket

    evidence = upload_evidence(staff_client, tools_indicator, period, categories)

    stored = s3.get_object(Bucket=bucket, Key=evidence.file.name)
    assert stored["Body"].read() == PDF
    assert evidence.file.name.startswith("evidence/")
    assert "Rapport" not in evidence.file.name  # unguessable stored name
    assert evidence.size == len(PDF)
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))  # nothing on disk
    download = staff_client.get(f"/preuves/{evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "Rapport annuel.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_evidence_on_s3_is_refused_to_people_without_the_right(
    s3_bucket, client, staff_user, tools_indicator, period, categories, django_user_model
):
    client.force_login(staff_user)
    evidence = upload_evidence(client, tools_indicator, period, categories)

    client.logout()
    assert client.get(f"/preuves/{evidence.pk}/").status_code == 302  # to the login page
    nobody = django_user_model.objects.create_user("sans-role", password="x-y-z-123456")
    client.force_login(nobody)
    refused = client.get(f"/preuves/{evidence.pk}/")
    assert refused.status_code == 403
    assert PDF not in refused.content
    assert "Location" not in refused  # no redirection to the bucket either


def test_the_bucket_is_private_and_served_only_through_the_app(
    s3_bucket, client, staff_user, board_user, tools_indicator, period, categories
):
    """The download is proxied by the app: the page never links to the bucket, and the
    object has no public grant."""
    s3, bucket = s3_bucket
    client.force_login(staff_user)
    evidence = upload_evidence(client, tools_indicator, period, categories)
    client.force_login(board_user)
    board_client = client

    page = board_client.get(tools_indicator.get_absolute_url()).content.decode()
    assert f"/preuves/{evidence.pk}/" in page
    assert bucket not in page
    grants = s3.get_object_acl(Bucket=bucket, Key=evidence.file.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    download = board_client.get(f"/preuves/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_object_missing_from_the_bucket_is_a_404(
    s3_bucket, staff_client, tools_indicator, period, categories
):
    s3, bucket = s3_bucket
    evidence = upload_evidence(staff_client, tools_indicator, period, categories)
    s3.delete_object(Bucket=bucket, Key=evidence.file.name)

    assert staff_client.get(f"/preuves/{evidence.pk}/").status_code == 404


def test_the_backup_indexes_evidence_in_the_bucket_with_its_digest(
    s3_bucket, staff_client, tools_indicator, period, categories, tmp_path
):
    evidence = upload_evidence(staff_client, tools_indicator, period, categories)
    backup = tmp_path / "sauvegarde.json"

    call_command("backup", output=str(backup))

    [entry] = json.loads(backup.read_text(encoding="utf-8"))["evidence_files"]
    assert (entry["name"], entry["size"], entry["missing"]) == (
        evidence.file.name,
        len(PDF),
        False,
    )
    assert entry["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_the_local_disk_stays_the_default_and_s3_needs_a_bucket(monkeypatch):
    for name in ("FILE_STORAGE", "AWS_STORAGE_BUCKET_NAME"):
        monkeypatch.delenv(name, raising=False)
    assert default_storage_setting(environ.Env()) == {"BACKEND": LOCAL_BACKEND}
    monkeypatch.setenv("FILE_STORAGE", "s3")
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        default_storage_setting(environ.Env())
    monkeypatch.setenv("FILE_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="local"):
        default_storage_setting(environ.Env())
