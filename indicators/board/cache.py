"""The board's page cache and what invalidates it.

Pages: `cached_board_page` keeps the rendered main part (title, extra head, content block) of
a board page in Django's cache, keyed on the plan, its data version, the path, the query
parameters the page reads (others, such as a tracker's `utm_source`, share its entry), the
language, today's date and the user's permissions. The navigation, messages and
CSRF tokens (base.html, outside the content block) are rendered for each request.

Invalidation: the key carries `StrategicPlan.data_version`, bumped on commit by
plan/versions.py. The receivers below bump it for every save, delete or link change of a
model the board shows, including the admin's; bulk writes (generate_demo_data, restore) bump
explicitly, and loaddata's raw saves bump every plan. Each `migrate` (run by `make run` and
`make serve-prod` at every start) empties the cache: the cache is shared and outlives the
processes, and a new version of the code, or a new database whose plan numbers and versions
start again, must not be served pages rendered before it. This is cache invalidation only:
no business rule lives here.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from indicators import models as indicators_models
from indicators.board import models as board_models
from plan import models as plan_models
from plan.models import StrategicPlan
from plan.versions import ALL_PLANS, plan_data_changed

# Model → the attribute path from one of its rows to its plan's id (None: every plan).
WATCHED = {
    plan_models.StrategicPlan: "pk",
    plan_models.OrganisationalValue: "plan_id",
    plan_models.Orientation: "plan_id",
    plan_models.Result: "orientation.plan_id",
    plan_models.ResultItem: "result.orientation.plan_id",
    plan_models.Strategy: "orientation.plan_id",
    plan_models.StrategyItem: "strategy.orientation.plan_id",
    indicators_models.Dimension: None,
    indicators_models.Category: None,
    indicators_models.Indicator: "result.orientation.plan_id",
    indicators_models.ScaleLevel: "indicator.result.orientation.plan_id",
    indicators_models.ReportingPeriod: "plan_id",
    indicators_models.Target: "period.plan_id",
    indicators_models.Measurement: "period.plan_id",
    indicators_models.MeasurementBreakdown: "measurement.period.plan_id",
    indicators_models.Evidence: "measurement.period.plan_id",
    indicators_models.StrategyProgress: "period.plan_id",
    board_models.Meeting: "plan_id",
    board_models.MeetingPack: "meeting.plan_id",
    board_models.MeetingPackRemoval: "meeting.plan_id",
}


def _plan_id(instance, path):
    if path is None:
        return ALL_PLANS
    value = instance
    try:
        for name in path.split("."):
            value = getattr(value, name)
    except ObjectDoesNotExist:
        return ALL_PLANS  # a parent already gone (cascade): invalidate every plan
    return [value]


def _changed(sender, instance, raw=False, using="default", **kwargs):
    # loaddata saves rows raw, parents possibly not loaded yet: bump every plan.
    plan_ids = ALL_PLANS if raw else _plan_id(instance, WATCHED[sender])
    plan_data_changed(plan_ids=plan_ids, using=using)


def _links_changed(sender, instance, action, using="default", **kwargs):
    if action.startswith("post_"):
        # Strategy.results: the instance is a strategy or a result, both under an orientation.
        plan_data_changed(plan_ids=_plan_id(instance, "orientation.plan_id"), using=using)


def connect():
    """Connect the receivers, one per watched model (others keep Django's fast deletes)."""
    for model in WATCHED:
        uid = f"board_cache_{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _links_changed, sender=plan_models.Strategy.results.through, dispatch_uid="board_cache_m2m"
    )
    board_app = board_models.Meeting._meta.app_config
    post_migrate.connect(_migrated, sender=board_app, dispatch_uid="board_cache_migrate")


def _migrated(sender, **kwargs):
    cache.clear()


# --- Pages -------------------------------------------------------------------------------

# base.html marks the parts a cached page keeps; the rest is rendered for each request.
MARKS = {
    "extra_head": ("<!--extra-head-->", "<!--/extra-head-->"),
    "content": ("<!--page-content-->", "<!--/page-content-->"),
}


def _parts(html):
    parts = {}
    start, end = html.find("<title>"), html.find("</title>")
    if start < 0 or end < 0:
        return None
    # base.html appends « · <site name> » to the page's own title.
    parts["title"] = html[start + len("<title>") : end].rsplit(" · ", 1)[0]
    for name, (opening, closing) in MARKS.items():
        start, end = html.find(opening), html.find(closing)
        if start < 0 or end < 0:
            return None
        parts[name] = html[start + len(opening) : end]
    return parts


def page_key(request, view_name, reads, plan_id, data_version):
    """The cache key of one board page for this request (see the module's docstring);
    `reads`: the names of the query parameters the page reads."""
    permissions = sorted(request.user.get_all_permissions())
    query = [(name, sorted(request.GET.getlist(name))) for name in sorted(reads)]
    parts = (
        view_name,
        plan_id,
        data_version,
        request.path,
        query,
        get_language(),
        timezone.localdate().isoformat(),
        permissions,
    )
    return "board-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_board_page(*, reads, plan_of=None):
    """Serve a board view's main part from the cache while its plan's data is unchanged.

    `reads`: the names of every query parameter the view reads. The view receives its plan
    as the `plan` argument (current_plan_required), or `plan_of` (request, **kwargs) →
    (plan id, data version) or None finds it (None: not cached, the view answers, e.g. a
    404).
    """

    def decorator(view):
        view_name = f"{view.__module__}.{view.__name__}"

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            plan = kwargs.get("plan")
            if isinstance(plan, StrategicPlan):
                found = (plan.pk, plan.data_version)
            else:
                found = plan_of(request, **kwargs) if plan_of else None
            if found is None:
                return view(request, *args, **kwargs)
            key = page_key(request, view_name, reads, *found)
            parts = cache.get(key)
            if parts is not None:
                return render(
                    request,
                    "board/cached_page.html",
                    {"cached": {name: mark_safe(text) for name, text in parts.items()}},  # noqa: S308
                )
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                parts = _parts(response.content.decode(response.charset))
                if parts is not None:
                    cache.set(key, parts, settings.BOARD_CACHE_SECONDS)
            return response

        return wrapper

    return decorator


def plan_of_orientation(request, pk):
    """(plan id, data version) of orientation `pk`, or None (also for a plan the reader may
    not read)."""
    return (
        StrategicPlan.objects.readable_by(request.user)
        .order_by()
        .filter(orientations__pk=pk)
        .values_list("pk", "data_version")
        .first()
    )


def plan_of_result(request, pk):
    """(plan id, data version) of result `pk`, or None (also for a plan the reader may not
    read)."""
    return (
        StrategicPlan.objects.readable_by(request.user)
        .order_by()
        .filter(orientations__results__pk=pk)
        .values_list("pk", "data_version")
        .first()
    )
