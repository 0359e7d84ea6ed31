import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from indicators.models import Indicator
from plan.models import Orientation, Result, StrategicPlan, reads_drafts
from plan.roles import BOARD_GROUP, STAFF_GROUP
from tests import codes, factories


@pytest.fixture
def other_plan(db):
    return factories.plan(start_year=2023, end_year=2028)


def test_only_one_plan_can_be_current_in_the_database(plan_2018_2023, other_plan):
    other_plan.is_current = True
    with pytest.raises(IntegrityError), transaction.atomic():
        other_plan.save()


def test_only_one_plan_can_be_current_in_validation(plan_2018_2023, other_plan):
    other_plan.is_current = True
    with pytest.raises(ValidationError, match="déjà le plan courant"):
        other_plan.full_clean()


def test_current_plan_is_the_adopted_one(plan_2018_2023, other_plan):
    assert StrategicPlan.objects.current() == plan_2018_2023


def test_plan_years_must_be_in_order(db):
    plan = StrategicPlan(title="À l'envers", organisation="TIESS", start_year=2023, end_year=2018)
    with pytest.raises(ValidationError):
        plan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_numbers_are_unique_within_a_plan_not_across_plans(plan_2018_2023, other_plan):
    factories.orientation(other_plan, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Orientation.objects.create(plan=plan_2018_2023, number=1, title="Doublon")


def test_result_numbers_run_across_the_plan(plan_2018_2023):
    orientation_2 = codes.orientation(2)
    duplicate = Result(orientation=orientation_2, number=1, statement="Doublon du résultat 1")
    with pytest.raises(ValidationError, match="déjà un résultat"):
        duplicate.full_clean()


def test_result_number_is_free_in_another_plan(plan_2018_2023, other_plan):
    orientation = factories.orientation(other_plan, number=1)
    Result(orientation=orientation, number=1, statement="Premier résultat").full_clean()


def test_deleting_an_orientation_with_indicators_is_refused(plan_2018_2023):
    orientation = codes.orientation(1)
    with pytest.raises(ProtectedError):
        orientation.delete()
    assert Indicator.objects.filter(result__orientation=orientation).count() == 4


def test_models_read_well_in_french(plan_2018_2023):
    result = codes.result(3)
    assert str(result) == "Résultat 3"
    assert str(result.orientation) == "Orientation 2"
    assert str(plan_2018_2023) == "Plan stratégique 2018-2023"


@pytest.mark.parametrize(
    ("group_name", "permission", "reads"),
    [
        (STAFF_GROUP, None, True),
        (BOARD_GROUP, None, False),
        (None, "change_strategicplan", True),
        (None, "view_strategicplan", False),
    ],
)
@pytest.mark.django_db
def test_staff_and_plan_editors_read_drafts_and_the_board_does_not(group_name, permission, reads):
    user = get_user_model().objects.create_user("lecteur", password="mot-de-passe-lecteur")
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    if permission:
        user.user_permissions.add(Permission.objects.get(codename=permission))
    assert reads_drafts(get_user_model().objects.get(pk=user.pk)) is reads
