import os
import signal
from decimal import Decimal

import environ
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from indicators.models import Dimension, Indicator, MeasureKind, ReportingPeriod
from plan.models import Orientation, Result, StrategicPlan, Strategy
from plan.roles import BOARD_GROUP, STAFF_GROUP
from tests import codes, factories
from tests.smtp_server import Mailbox, free_port

# Local runs explore new random examples; CI replays a fixed set, so that a red build is
# always a regression of the code and never the luck of the draw. No time limit per example:
# speed is measured in bench/, and a loaded machine made the 200 ms default fail at random.
hypothesis_settings.register_profile("local", deadline=None)
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")

PLAN_FIXTURE = "plan_2018_2023"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Hash test passwords quickly: tests create and log people in many times.

    Production keeps Django's default hashers; no test depends on which one is used.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def tasks_run_at_once():
    """Tasks run at once, inside the call that enqueues them (Django's immediate backend):
    most tests need only their effect. The tests of the queue itself use `task_queue`.
    The board's warm after each save is off (it would render the board after every write);
    tests/board/test_warm.py turns it on."""
    with override_settings(TASKS=IMMEDIATE_TASKS, BOARD_WARM_AFTER_SAVE=False):
        yield


@pytest.fixture
def task_queue(settings):
    """The production queue: tasks wait in the database until the returned function runs
    them with the real `db_worker` command (--batch: every task ready, then it exits).

    The worker closes and reopens database connections: tests using it are transactional
    (`django_db(transaction=True)`).
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return run_worker


def run_worker():
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    finally:  # the worker installs its own handlers: give pytest back its Ctrl+C
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the 2018-2023 plan loaded once for the whole session.

    Each test runs in a transaction that rolls back, so every test starts from the pristine
    plan. A transactional test (`transaction=True`, `live_server`) empties the database when
    it ends; the `plan_2018_2023` fixture then loads the plan again for the next one, and a
    test marked `serialized_rollback=True` gets back the whole session's data (plan, roles).
    """
    with django_db_blocker.unblock():
        call_command("loaddata", PLAN_FIXTURE, verbosity=0)
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def french_by_default():
    """Code run outside a request sees French, whatever language the last request used."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def plan_2018_2023(db):
    """The adopted plan, loaded from the project's fixture (once per session)."""
    plan = StrategicPlan.objects.filter(title=codes.PLAN_TITLE).first()
    if plan is None:  # a transactional test emptied the database before this one
        call_command("loaddata", PLAN_FIXTURE, verbosity=0)
        plan = codes.the_plan()
    return plan


@pytest.fixture
def no_current_plan(db):
    """No plan is the current one (the 2018-2023 plan stays, no longer current)."""
    StrategicPlan.objects.update(is_current=False)


@pytest.fixture
def no_plan(db):
    """A database without any plan: the session's plan is deleted inside this test."""
    Indicator.objects.all().delete()  # with their scale levels
    Strategy.objects.all().delete()
    Result.objects.all().delete()
    Orientation.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    StrategicPlan.objects.all().delete()  # with their values
    Dimension.objects.all().delete()  # with their categories
    assert not StrategicPlan.objects.exists()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_member(db):
    """`factories.member` as a fixture: a user in one of the two roles."""
    return factories.member


@pytest.fixture
def staff_user(db):
    return factories.member(
        "marie",
        STAFF_GROUP,
        password="mot-de-passe-personnel",
        first_name="Marie",
        last_name="Tremblay",
    )


@pytest.fixture
def other_staff(db):
    """A second staff member, for corrections and concurrent edits."""
    return factories.member(
        "luc",
        STAFF_GROUP,
        password="mot-de-passe-personnel-2",
        first_name="Luc",
        last_name="Bouchard",
    )


@pytest.fixture
def board_user(db):
    return factories.member(
        "andre",
        BOARD_GROUP,
        password="mot-de-passe-conseil",
        first_name="André",
        last_name="Gagnon",
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def board_client(client, board_user):
    client.force_login(board_user)
    return client


@pytest.fixture
def recorded_data(plan_2018_2023, staff_user, board_user, admin_user, media_root):
    """Two measurements (one with a breakdown), a correction with history, an evidence file.

    Indicator 1.1 (a count by category) for the first period: 7 as first recorded (4 + 3),
    then 9 (4 + 5) after an administrator's correction.
    """
    by_category = codes.indicator("1.1")
    categories = list(by_category.dimension.categories.all()[:2])
    measurement = factories.measurement(
        by_category,
        codes.period("2018-2019"),
        staff_user,
        breakdown={categories[0]: 4, categories[1]: 3},
        comment="Première saisie <b>en gras</b>",
    )
    # A correction: a second version in the history.
    measurement.value = Decimal("9")
    measurement.comment = "Corrigé après vérification"
    measurement.version += 1
    measurement.updated_by = admin_user
    measurement.updated_at = timezone.now()
    measurement.save()
    breakdown = measurement.breakdowns.get(category=categories[1])
    breakdown.value = Decimal("5")
    breakdown.save()
    factories.evidence_file(
        measurement, staff_user, name="rapport annuel.pdf", content=b"%PDF-1.4\nrapport\n"
    )
    return measurement


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1, the app set up through EMAIL_URL.

    Yields the server's mailbox: `.messages` holds what it accepted, addresses added to
    `.refused` are refused at RCPT (550).
    """
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_URL = f"smtp://127.0.0.1:{controller.port}"
    for name, value in environ.Env.email_url_config(settings.EMAIL_URL).items():
        if name.startswith("EMAIL_"):
            setattr(settings, name, value)
    settings.SITE_URL = "https://suivi.tiess.test"
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_not_configured(settings):
    """Production without EMAIL_URL."""
    settings.EMAIL_URL = ""
    settings.EMAIL_BACKEND = settings.EMAIL_NOT_CONFIGURED_BACKEND


@pytest.fixture
def strategy(plan_2018_2023):
    """Strategy 1.1 of the 2018-2023 plan."""
    return codes.strategy("1.1")


@pytest.fixture
def period(plan_2018_2023):
    """The 2019-2020 period of the 2018-2023 plan."""
    return codes.period("2019-2020")


# --- One indicator of each kind ---


@pytest.fixture
def tools_indicator(plan_2018_2023):
    """Indicator 1.2, “Nombre et types d'outils accessibles”: a count by category (Type d'outil)."""
    return codes.indicator("1.2")


@pytest.fixture
def level_indicator(plan_2018_2023):
    """Indicator 1.3, “Niveau d'appropriation des outils”: a level on a 1-5 rubric."""
    return codes.indicator("1.3")


@pytest.fixture
def qualitative_indicator(plan_2018_2023):
    """Indicator 6.3, “Perception du rôle du TIESS”: a narrative."""
    return codes.indicator("6.3")


@pytest.fixture
def categories(tools_indicator):
    return list(tools_indicator.dimension.categories.all())


@pytest.fixture
def count_indicator(plan_2018_2023):
    return factories.indicator(
        codes.result(1), kind=MeasureKind.COUNT, order=20, wording="Nombre de formations données"
    )


@pytest.fixture
def percentage_indicator(plan_2018_2023):
    return factories.indicator(
        codes.result(1), kind=MeasureKind.PERCENTAGE, order=21, wording="Taux de satisfaction"
    )


@pytest.fixture
def amount_indicator(plan_2018_2023):
    return factories.indicator(
        codes.result(1), kind=MeasureKind.AMOUNT, order=22, wording="Revenus autonomes"
    )
