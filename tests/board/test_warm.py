"""The board is warm after every save: the commit queues a task, the real worker renders the
main board pages into the shared cache, and a board member's first visit is a hit."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from indicators.board.warm import board_warm
from indicators.models import Measurement
from plan.models import StrategicPlan
from tests import codes, factories
from tests.recording.test_entry_grid import grid_url, row_post

pytestmark = pytest.mark.django_db(transaction=True)
DASHBOARD = reverse("board:dashboard")


@pytest.fixture
def warm_cache(settings, task_queue):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.BOARD_WARM_AFTER_SAVE = True
    cache.clear()
    yield task_queue
    cache.clear()


def _main_part(response):
    html = response.content.decode()
    return html[html.index("<!--page-content-->") : html.index("<!--/page-content-->")]


def _visit(client, path=DASHBOARD):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


def test_the_first_visit_after_a_save_is_a_cache_hit(
    board_client, staff_user, plan_2018_2023, warm_cache
):
    with transaction.atomic():
        factories.measurement(codes.indicator("2.1"), codes.period("2018-2019"), staff_user, 5)
    version = StrategicPlan.objects.current().data_version
    queued = DBTaskResult.objects.filter(task_path="indicators.board.warm.board_warm")
    assert [t.args_kwargs["kwargs"]["version"] for t in queued] == [version]

    warm_cache()  # the real db_worker

    first, page = _visit(board_client)
    cache.clear()
    missed, fresh = _visit(board_client)
    hit, _ = _visit(board_client)
    assert first == hit < missed
    assert _main_part(page) == _main_part(fresh)  # the warmed page is the page a visit renders


def test_a_warm_queued_for_an_older_version_does_nothing(board_user, plan_2018_2023, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    plan = StrategicPlan.objects.current()
    assert board_warm.call(plan_id=plan.pk, version=plan.data_version - 1) == 0
    assert board_warm.call(plan_id=plan.pk, version=plan.data_version) >= 4
    cache.clear()


def test_a_grid_page_saved_whole_queues_one_warm_not_one_per_row(
    staff_client, plan_2018_2023, warm_cache
):
    period = codes.period("2019-2020")
    data = {}
    for code, level in (("1.3", "2"), ("1.4", "3")):  # two levels on a scale and a story
        data.update(row_post(codes.indicator(code), period, level=level))
    data.update(row_post(codes.indicator("6.3"), period, narrative="Les partenaires en parlent."))
    before = StrategicPlan.objects.current().data_version

    response = staff_client.post(grid_url(period), data)

    assert response.status_code in (200, 302)
    assert Measurement.objects.filter(period=period).count() == 3
    version = StrategicPlan.objects.current().data_version
    assert version == before + 1
    queued = DBTaskResult.objects.filter(task_path="indicators.board.warm.board_warm")
    assert [t.args_kwargs["kwargs"]["version"] for t in queued] == [version]
