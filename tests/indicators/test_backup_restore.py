"""Backups: `manage.py backup` then `restore` into an emptied database gives the same data."""

import gzip
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from indicators.management.commands._backup_format import backed_up_models
from indicators.models import (
    Evidence,
    Measurement,
)
from plan.roles import BOARD_GROUP, COORDINATION_GROUP, STAFF_GROUP


def empty_database():
    """`manage.py flush`, inside the test's transaction."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with pending deferred foreign key checks: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def canonical_state():
    """Every backed-up row, serialized the same way as a backup, in a stable order."""
    state = {}
    for model, natural_foreign, natural_primary in backed_up_models():
        rows = serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=natural_foreign,
            use_natural_primary_keys=natural_primary,
        )
        state[model._meta.label_lower] = sorted(rows, key=lambda row: json.dumps(row, default=str))
    return state


@pytest.mark.django_db
def test_backup_then_restore_into_an_emptied_database_gives_the_same_data(
    recorded_data, tmp_path, capsys
):
    before = canonical_state()
    assert recorded_data.history.count() == 2
    assert len(before["indicators.historicalmeasurementbreakdown"]) == 3
    backup = tmp_path / "sauvegarde.json.gz"

    call_command("backup", output=str(backup))
    assert "Sauvegarde écrite" in capsys.readouterr().out
    assert backup.stat().st_mode & 0o777 == 0o600
    empty_database()
    assert not Measurement.objects.exists()
    # Only what migrations and their signals recreate is left (the two groups, possibly).
    assert not get_user_model().objects.exists()

    call_command("restore", str(backup))
    out = capsys.readouterr().out
    assert "restaurée" in out
    assert "1 vérifiées, toutes identiques" in out
    after = canonical_state()
    for label in before:
        assert after[label] == before[label], label
    restored = Measurement.objects.get(pk=recorded_data.pk)
    assert restored.value == Decimal("9")
    assert [h.value for h in restored.history.order_by("history_date")] == [7, 9]
    assert {b.value for b in restored.breakdowns.all()} == {Decimal("4"), Decimal("5")}
    assert set(Group.objects.values_list("name", flat=True)) == {
        STAFF_GROUP,
        BOARD_GROUP,
        COORDINATION_GROUP,
    }
    assert (
        Group.objects.get(name=STAFF_GROUP)
        .permissions.filter(codename="change_measurement")
        .exists()
    )
    staff = restored.recorded_by
    assert staff.check_password("mot-de-passe-personnel")
    assert list(staff.groups.values_list("name", flat=True)) == [STAFF_GROUP]


@pytest.mark.django_db
def test_the_backup_indexes_evidence_files_with_their_digest(recorded_data, tmp_path):
    backup = tmp_path / "sauvegarde.json"
    call_command("backup", output=str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    [entry] = document["evidence_files"]
    evidence = Evidence.objects.get()
    assert entry["name"] == evidence.file.name
    assert entry["size"] == len(b"%PDF-1.4\nrapport\n")
    assert len(entry["sha256"]) == 64
    assert document["counts"]["indicators.historicalmeasurement"] == 2
    assert document["migrations"]["indicators"]


@pytest.mark.django_db
def test_restore_reports_evidence_files_that_differ(recorded_data, tmp_path, capsys, media_root):
    backup = tmp_path / "sauvegarde.json"
    call_command("backup", output=str(backup))
    (media_root / Evidence.objects.get().file.name).write_bytes(b"autre contenu")
    empty_database()
    with pytest.raises(CommandError, match="Restauration incomplète") as refused:
        call_command("restore", str(backup))
    assert "contenu différent" in str(refused.value)
    err = capsys.readouterr().err
    assert "1 des 1 pièces justificatives ne correspondent pas" in err
    assert "contenu différent" in err


@pytest.mark.django_db
def test_restore_exits_non_zero_naming_the_missing_evidence_files(
    recorded_data, tmp_path, media_root
):
    """Run as a command: exit status 1, and the missing file named on stderr."""
    backup = tmp_path / "sauvegarde.json"
    call_command("backup", output=str(backup))
    name = Evidence.objects.get().file.name
    (media_root / name).unlink()
    empty_database()
    with pytest.raises(CommandError, match="Restauration incomplète") as refused:
        call_command("restore", str(backup))
    assert f"manquant : {name}" in str(refused.value)
    # The database itself is restored: only the files are missing.
    assert Measurement.objects.get(pk=recorded_data.pk).value == Decimal("9")


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(recorded_data, tmp_path):
    backup = tmp_path / "sauvegarde.json"
    call_command("backup", output=str(backup))
    with pytest.raises(CommandError, match="La base de données n’est pas vide"):
        call_command("restore", str(backup))
    assert Measurement.objects.count() == 1


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    other = tmp_path / "autre.json.gz"
    with gzip.open(other, "wt") as handle:
        json.dump([{"model": "auth.user", "fields": {}}], handle)
    with pytest.raises(CommandError, match="n’est pas une sauvegarde"):
        call_command("restore", str(other))


@pytest.mark.django_db
def test_restore_refuses_a_backup_from_a_newer_version(recorded_data, tmp_path):
    backup = tmp_path / "sauvegarde.json"
    call_command("backup", output=str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    document["migrations"]["indicators"].append("9999_from_the_future")
    backup.write_text(json.dumps(document), encoding="utf-8")
    empty_database()
    with pytest.raises(CommandError, match="version plus récente"):
        call_command("restore", str(backup))
