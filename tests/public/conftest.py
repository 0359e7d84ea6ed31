"""A published 2018-2023 plan with values, for the public pages' tests."""

import pytest

from tests.public.published import publish_plan


@pytest.fixture
def published_plan(plan_2018_2023, staff_user, django_capture_on_commit_callbacks):
    """The 2018-2023 plan published with its first two periods locked; indicators 2.1 (a
    count, target reached in 2019-2020, a public story), 1.3 (a level) and 6.3 (a narrative)
    published. Written as committed (the plan's data version bumped, as in production)."""
    with django_capture_on_commit_callbacks(execute=True):
        return publish_plan(plan_2018_2023, staff_user)
