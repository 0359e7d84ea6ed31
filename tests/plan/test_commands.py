import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from indicators.management.commands import create_demo_accounts
from indicators.management.commands.create_demo_accounts import is_embedded_database
from indicators.models import Indicator
from plan.models import Result, StrategicPlan


@pytest.mark.django_db
def test_load_plan_loads_once_and_keeps_admin_edits(capsys):
    call_command("load_plan")
    result = Result.objects.get(number=1)
    result.statement = "Énoncé corrigé par l'administration."
    result.save()
    call_command("load_plan")
    assert StrategicPlan.objects.count() == 1
    assert Indicator.objects.count() == 19
    result.refresh_from_db()
    assert result.statement == "Énoncé corrigé par l'administration."
    assert "Déjà chargé : Plan stratégique 2018-2023." in capsys.readouterr().out


@pytest.mark.django_db
def test_load_plan_takes_a_fixture_name_and_refuses_an_unknown_one():
    call_command("load_plan", "plan_2018_2023.json")
    assert StrategicPlan.objects.get().title == "Plan stratégique 2018-2023"
    with pytest.raises(CommandError, match="Aucun fichier de données nommé « plan_1999 »"):
        call_command("load_plan", "plan_1999")


@pytest.mark.django_db
def test_demo_accounts_are_never_created_on_another_database(capsys):
    # The test database is not the embedded db.sqlite3 file of the project.
    call_command("create_demo_accounts")
    assert not User.objects.exists()
    assert "aucun compte" in capsys.readouterr().out


def test_only_the_projects_sqlite_file_counts_as_the_embedded_database(settings):
    embedded = str(settings.BASE_DIR / "db.sqlite3")
    assert is_embedded_database({"ENGINE": "django.db.backends.sqlite3", "NAME": embedded})
    assert not is_embedded_database({"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.db"})
    assert not is_embedded_database({"ENGINE": "django.db.backends.postgresql", "NAME": embedded})


@pytest.mark.django_db
def test_demo_accounts_have_the_three_roles_and_are_created_once(monkeypatch, capsys):
    monkeypatch.setattr(create_demo_accounts, "is_embedded_database", lambda database: True)
    call_command("create_demo_accounts")
    output = capsys.readouterr().out
    admin, staff, board = (
        User.objects.get(username=name) for name in ["admin", "personnel", "conseil"]
    )
    assert admin.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == ["Personnel"]
    assert list(board.groups.values_list("name", flat=True)) == ["Conseil d'administration"]
    assert output.count("mot de passe :") == 3
    call_command("create_demo_accounts")
    assert User.objects.count() == 3
    assert "mot de passe" not in capsys.readouterr().out
