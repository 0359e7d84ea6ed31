import os

import environ
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from plan.models import StrategicPlan
from plan.roles import BOARD_GROUP, STAFF_GROUP
from tests.smtp_server import Mailbox, free_port

# Local runs explore new random examples; CI replays a fixed set, so that a red build is
# always a regression of the code and never the luck of the draw.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def french_by_default():
    """Code run outside a request sees French, whatever language the last request used."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def plan_2018_2023(db):
    """The adopted plan, loaded from the project's fixture."""
    call_command("loaddata", "plan_2018_2023", verbosity=0)
    return StrategicPlan.objects.get(title="Plan stratégique 2018-2023")


@pytest.fixture
def make_member(django_user_model):
    """A user in one of the two roles."""

    def _make_member(username, group_name, *, password, **names):
        user = django_user_model.objects.create_user(username, password=password, **names)
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return _make_member


@pytest.fixture
def staff_user(make_member):
    return make_member(
        "marie",
        STAFF_GROUP,
        password="mot-de-passe-personnel",
        first_name="Marie",
        last_name="Tremblay",
    )


@pytest.fixture
def other_staff(make_member):
    """A second staff member, for corrections and concurrent edits."""
    return make_member(
        "luc",
        STAFF_GROUP,
        password="mot-de-passe-personnel-2",
        first_name="Luc",
        last_name="Bouchard",
    )


@pytest.fixture
def board_user(make_member):
    return make_member(
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
