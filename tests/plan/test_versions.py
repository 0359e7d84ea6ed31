"""The plan's data version (plan/versions.py): bumped once a write commits; a run of
transactions gathered by `bumps_gathered` bumps once, after the last."""

import pytest

from plan.models import StrategicPlan
from plan.versions import bumps_gathered, data_version_bumped, plan_data_changed


@pytest.fixture
def bumps():
    """The plan ids of each `data_version_bumped` sent during the test."""
    sent = []

    def receiver(sender, *, plan_ids, **kwargs):
        sent.append(plan_ids)

    data_version_bumped.connect(receiver)
    yield sent
    data_version_bumped.disconnect(receiver)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """One write transaction that changes `plan`, committed (its on-commit hooks run)."""

    def write(plan):
        with django_capture_on_commit_callbacks(execute=True):
            plan_data_changed(plan_ids=[plan.pk])

    return write


def version(plan):
    return StrategicPlan.objects.values_list("data_version", flat=True).get(pk=plan.pk)


def test_each_committed_write_bumps_the_version_once(plan_2018_2023, committed, bumps):
    before = version(plan_2018_2023)

    committed(plan_2018_2023)
    committed(plan_2018_2023)

    assert version(plan_2018_2023) == before + 2
    assert bumps == [{plan_2018_2023.pk}, {plan_2018_2023.pk}]


def test_a_gathered_run_bumps_once_after_its_last_write(plan_2018_2023, committed, bumps):
    before = version(plan_2018_2023)

    with bumps_gathered():
        for _ in range(3):
            committed(plan_2018_2023)
        assert version(plan_2018_2023) == before
        assert bumps == []

    assert version(plan_2018_2023) == before + 1
    assert bumps == [{plan_2018_2023.pk}]


def test_a_run_ended_by_an_error_still_bumps_what_committed(plan_2018_2023, committed, bumps):
    before = version(plan_2018_2023)

    def one_row_then_a_failure():
        with bumps_gathered():
            committed(plan_2018_2023)
            raise RuntimeError("the request failed after one row")

    with pytest.raises(RuntimeError):
        one_row_then_a_failure()

    assert version(plan_2018_2023) == before + 1
    assert bumps == [{plan_2018_2023.pk}]


def test_a_run_without_a_write_bumps_nothing(plan_2018_2023, bumps):
    before = version(plan_2018_2023)

    with bumps_gathered():
        pass

    assert version(plan_2018_2023) == before
    assert bumps == []


def test_a_nested_run_leaves_the_bump_to_the_outer_one(plan_2018_2023, committed, bumps):
    before = version(plan_2018_2023)

    with bumps_gathered():
        with bumps_gathered():
            committed(plan_2018_2023)
        assert bumps == []

    assert version(plan_2018_2023) == before + 1
    assert bumps == [{plan_2018_2023.pk}]
