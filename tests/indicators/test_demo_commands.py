"""Demo commands: generate_demo_data (a plan of any size, fast, replaceable, optionally
current) and create_demo_accounts (only on the embedded database)."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from indicators.board import services as board_services
from indicators.board.models import Meeting, MeetingPack, MeetingPackRemoval
from indicators.lifecycle.demo import DEMO_TITLE
from indicators.lifecycle.demo_values import RECIPES
from indicators.management.commands import create_demo_accounts
from indicators.management.commands.create_demo_accounts import is_embedded_database
from indicators.models import (
    Indicator,
    MeasureKind,
    Measurement,
    MeasurementBreakdown,
    ReportingPeriod,
    StrategyProgress,
    Target,
)
from plan.models import StrategicPlan
from tests import codes


def generate(**options):
    out = StringIO()
    call_command("generate_demo_data", stdout=out, **options)
    return out.getvalue()


def test_builds_the_requested_sizes(db):
    generate(indicators=24, periods=4, categories=3, seed=1)
    plan = StrategicPlan.objects.get(title=DEMO_TITLE)
    assert not plan.is_current
    assert plan.orientations.count() == 5
    indicators = Indicator.objects.of_plan(plan)
    assert indicators.count() == 24
    assert {i.result.orientation.number for i in indicators} == {1, 2, 3, 4, 5}
    assert ReportingPeriod.objects.filter(plan=plan).count() == 4
    assert Measurement.objects.of_plan(plan).count() == 24 * 4
    counted = indicators.filter(kind="count_by_category")
    assert counted.count() == 4
    measured = Measurement.objects.filter(indicator__in=counted, value__isnull=False)
    assert measured.count() >= 12  # a few answers are "not measured"
    assert MeasurementBreakdown.objects.filter(measurement__indicator__in=counted).count() == (
        measured.count() * 3
    )
    for measurement in Measurement.objects.filter(indicator__in=counted, value__isnull=False):
        assert measurement.value == sum(b.value for b in measurement.breakdowns.all())
    assert Target.objects.filter(indicator__in=indicators).count() == 20 * 4
    assert StrategyProgress.objects.filter(strategy__orientation__plan=plan).count() == 15 * 4


def test_the_demo_plan_has_indicators_of_every_kind():
    assert set(RECIPES) == set(MeasureKind.values)


def test_running_twice_replaces_the_demo_plan_and_current_flag(plan_2018_2023):
    plan_2018_2023.is_current = True
    plan_2018_2023.save()
    generate(indicators=12, periods=3, categories=2, seed=1, current=True)
    output = generate(indicators=6, periods=2, categories=2, seed=2)
    assert "remplacé" in output
    demo = StrategicPlan.objects.get(title=DEMO_TITLE)
    assert StrategicPlan.objects.filter(title=DEMO_TITLE).count() == 1
    assert Indicator.objects.of_plan(demo).count() == 6
    assert StrategicPlan.objects.current() == demo
    plan_2018_2023.refresh_from_db()
    assert not plan_2018_2023.is_current
    assert Indicator.objects.of_plan(plan_2018_2023).count() == 19


def meeting(plan, user, title):
    return board_services.meeting_create(
        plan=plan,
        date=datetime.date(plan.start_year + 1, 6, 1),
        title=title,
        period=plan.periods.first(),
        user=user,
    )


def test_the_demo_plan_is_replaced_with_its_presented_meetings(plan_2018_2023, admin_user):
    """It crashed (ProtectedError): a presented meeting's pack holds the meeting, which holds
    the plan and its period."""
    generate(indicators=6, periods=2, categories=2, seed=1)
    demo = StrategicPlan.objects.get(title=DEMO_TITLE)
    presented = meeting(demo, admin_user, "Rencontre présentée")
    board_services.meeting_present(meeting=presented, user=admin_user)
    board_services.meeting_pack_remove(meeting=presented, user=admin_user, reason="Essai.")
    board_services.meeting_present(meeting=presented, user=admin_user)
    meeting(demo, admin_user, "Rencontre à venir")
    kept = meeting(plan_2018_2023, admin_user, "Rencontre du vrai plan")
    board_services.meeting_present(meeting=kept, user=admin_user)

    output = generate(indicators=6, periods=2, categories=2, seed=2)

    assert "remplacé" in output
    assert StrategicPlan.objects.filter(title=DEMO_TITLE).count() == 1
    assert list(Meeting.objects.all()) == [kept]
    assert list(MeetingPack.objects.values_list("meeting", flat=True)) == [kept.pk]
    assert not MeetingPackRemoval.objects.exists()


def test_the_demo_plan_is_kept_and_the_command_says_what_to_do_when_a_plan_continues_it(
    plan_2018_2023,
):
    generate(indicators=6, periods=2, categories=2, seed=1)
    demo = StrategicPlan.objects.get(title=DEMO_TITLE)
    continued = Indicator.objects.of_plan(demo).first()
    follower = codes.indicator("1.3")
    follower.carried_over_from = continued
    follower.save()

    with pytest.raises(CommandError) as refused:
        generate(indicators=6, periods=2, categories=2, seed=2)

    assert str(refused.value) == (
        "Le plan de démonstration ne peut pas être remplacé, car d’autres données en dépendent "
        f"(indicateur « {follower} »). Retirez ces liens ou supprimez ces données, puis "
        "relancez la commande."
    )
    assert StrategicPlan.objects.get(title=DEMO_TITLE) == demo
    assert Indicator.objects.of_plan(demo).count() == 6


def test_demo_plan_shows_on_the_dashboard_with_every_status_kind(board_client, db):
    generate(indicators=36, periods=3, categories=4, seed=5, current=True)
    page = board_client.get("/").content.decode()
    assert DEMO_TITLE in page
    assert "qualitatif" in page
    assert any(word in page for word in ("en retard", "à surveiller", "atteinte"))


def test_demo_accounts_are_never_created_on_another_database(db, capsys):
    # The test database is not the embedded db.sqlite3 file of the project.
    call_command("create_demo_accounts")
    assert not User.objects.exists()
    assert "aucun compte" in capsys.readouterr().out


def test_only_the_projects_sqlite_file_counts_as_the_embedded_database(settings):
    embedded = str(settings.BASE_DIR / "db.sqlite3")
    assert is_embedded_database({"ENGINE": "django.db.backends.sqlite3", "NAME": embedded})
    assert not is_embedded_database({"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.db"})
    assert not is_embedded_database({"ENGINE": "django.db.backends.postgresql", "NAME": embedded})


def test_demo_accounts_have_the_three_roles_and_are_created_once(db, monkeypatch, capsys):
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
