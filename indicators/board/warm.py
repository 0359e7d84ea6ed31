"""The board is warm after every save: once a commit bumped the current plan's data version
(plan/versions.py), a task renders the main board pages into the page cache (cache.py), so
that a board member's first visit after the save is a hit, on every app server sharing the
cache.

Debounced: the task carries the version it was queued for; when it runs, a newer version
means another warm is queued behind it, and it does nothing. The pages are rendered as a
board member sees them (the cache key holds the reader's permissions) in the site's default
language, by calling the views themselves: the cache keeps exactly what a visit would.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, QueryDict
from django.urls import resolve, reverse
from django.utils import translation
from django_tasks import task

from plan.models import Orientation, StrategicPlan
from plan.roles import BOARD_GROUP
from plan.versions import ALL_PLANS

logger = logging.getLogger("tiess.board")


def warm_after_bump(sender, *, plan_ids, using="default", **kwargs):
    """Receiver of `data_version_bumped`: queue a warm of the current plan if it changed."""
    if not settings.BOARD_WARM_AFTER_SAVE:
        return
    current = StrategicPlan.objects.using(using).current()
    if current is None or (ALL_PLANS not in plan_ids and current.pk not in plan_ids):
        return
    board_warm.enqueue(plan_id=current.pk, version=current.data_version)


def _reader():
    """A board member to read as: the cache key holds the reader's permissions, and every
    board member holds the group's."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, groups__name=BOARD_GROUP)
        .order_by("pk")
        .first()
    )


def warm_paths(plan):
    """The main board pages of the current plan."""
    paths = [
        reverse("board:dashboard"),
        reverse("board:board_report"),
        reverse("board:since_last_meeting"),
    ]
    orientations = Orientation.objects.filter(plan=plan).order_by("number")
    paths += [
        reverse("board:orientation_detail", args=[pk])
        for pk in orientations.values_list("pk", flat=True)
    ]
    return paths


def _request(path, user):
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict()
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    request.META = {
        "SERVER_NAME": host.lstrip("."),
        "SERVER_PORT": "443",
        "HTTP_HOST": host.lstrip("."),
    }
    request.user = user
    request.resolver_match = resolve(path)
    return request


@task(priority=5)
def board_warm(*, plan_id: int, version: int) -> int:
    """Render the main board pages of plan `plan_id` at data version `version` into the
    cache; nothing when the plan moved on to a newer version. Returns how many pages."""
    plan = StrategicPlan.objects.current()
    if plan is None or plan.pk != plan_id or plan.data_version != version:
        return 0
    reader = _reader()
    if reader is None:
        return 0
    warmed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for path in warm_paths(plan):
            request = _request(path, reader)
            response = request.resolver_match.func(request, **request.resolver_match.kwargs)
            warmed += response.status_code == 200
    return warmed
