import pytest

from plan.roles import COORDINATION_GROUP, STAFF_GROUP
from tests import factories


@pytest.fixture
def validation_on(plan_2018_2023):
    """The 2018-2023 plan with the validation step on (nobody validates their own value)."""
    plan_2018_2023.validation_enabled = True
    plan_2018_2023.save()
    return plan_2018_2023


@pytest.fixture
def coordinator(db):
    return factories.member(
        "sophie",
        COORDINATION_GROUP,
        password="mot-de-passe-coordination",
        first_name="Sophie",
        last_name="Lavoie",
        email="sophie@tiess.test",
    )


@pytest.fixture
def other_coordinator(db):
    return factories.member(
        "paul",
        COORDINATION_GROUP,
        password="mot-de-passe-coordination-2",
        first_name="Paul",
        last_name="Côté",
        email="paul@tiess.test",
    )


@pytest.fixture
def recording_coordinator(db):
    """Someone who records values and validates others' (both roles)."""
    person = factories.member(
        "julie", STAFF_GROUP, password="mot-de-passe-julie", first_name="Julie", email="j@t.test"
    )
    person.groups.add(factories.Group.objects.get(name=COORDINATION_GROUP))
    return person
