import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from plan.models import StrategicPlan
from plan.roles import BOARD_GROUP, STAFF_GROUP

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
def staff_user(django_user_model):
    user = django_user_model.objects.create_user(
        "marie", password="mot-de-passe-personnel", first_name="Marie", last_name="Tremblay"
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def board_user(django_user_model):
    user = django_user_model.objects.create_user(
        "andre", password="mot-de-passe-conseil", first_name="André", last_name="Gagnon"
    )
    user.groups.add(Group.objects.get(name=BOARD_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def board_client(client, board_user):
    client.force_login(board_user)
    return client
