"""Each list answers in a number of queries that does not grow with the data (two sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import MeasureKind
from tests import codes, factories
from tests.public.published import publish, publish_plan

pytestmark = pytest.mark.django_db

LISTS = (
    "plans",
    "orientations",
    "resultats",
    "strategies",
    "indicateurs",
    "periodes",
    "cibles",
    "valeurs",
    "statuts",
)


def _grow(user, size):
    """`size` more indicators of each kind that has sub-objects, with values and targets."""
    plan = codes.the_plan()
    periods = list(plan.periods.order_by("start_date"))
    result = codes.result(2)
    orientation = factories.orientation(plan)
    for _ in range(size):
        factories.strategy(orientation, results=[result, codes.result(1)])
        by_category = publish(factories.indicator(result, kind=MeasureKind.COUNT_BY_CATEGORY))
        level = publish(factories.indicator(result, kind=MeasureKind.LEVEL))
        categories = list(by_category.dimension.categories.all())
        for period in periods:
            factories.measurement(by_category, period, user, breakdown=dict.fromkeys(categories, 2))
            factories.measurement(level, period, user, value=3)
            factories.target(level, period, 4)


def _counts(client, plan):
    counts = {}
    for resource in LISTS:
        for suffix in ("", "&format=csv"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/{resource}/?plan={plan.pk}&page_size=1000{suffix}")
            assert response.status_code == 200
            counts[resource + suffix] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["board", "staff", "anonymous"])
def test_lists_query_counts_do_not_grow_with_the_data(api_clients, staff_user, role):
    """Prevents an N+1 on breakdowns, levels, categories, items or served results (the plan
    and the new indicators published: without a token, the public reads grow too)."""
    client = api_clients[role]
    plan = publish_plan(codes.the_plan(), staff_user)
    _grow(staff_user, 1)
    client.get("/api/plans/")  # the token's first use is recorded once
    small = _counts(client, plan)
    _grow(staff_user, 4)
    assert _counts(client, plan) == small
    assert small["valeurs"] <= 8
