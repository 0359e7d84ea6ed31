"""The public pages, without login: the published plans, and one plan's progress as the
organisation chose to publish it (selectors.py decides what that is). Every other page of
the app keeps its own login and permission checks."""

import functools

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.board.viewmodels import BoardIndicator
from indicators.charts.indicator import build_indicator_chart
from indicators.public import selectors
from indicators.public.cache import cached_public_page
from indicators.rules.chart_spec import series
from indicators.rules.periods import period_for_reading


def published_plan_required(view):
    """Give the view the published plan of the URL's years; 404 for any other plan (a draft,
    an unpublished plan, unknown years)."""

    @functools.wraps(view)
    def wrapper(request, years):
        plan = selectors.published_plan(years)
        if plan is None:
            raise Http404(_("No published plan has these years."))
        return view(request, plan=plan)

    return wrapper


@require_safe
def public_index(request):
    """The published plans, newest first."""
    return render(
        request,
        "public/index.html",
        {
            "plans": selectors.published_plans(),
            "canonical_url": request.build_absolute_uri(reverse("public:public_index")),
        },
    )


@require_safe
@published_plan_required
@cached_public_page
def plan_progress(request, plan):
    """One published plan: its words, then each published indicator's status, value, target,
    chart and public story, for the latest public period with values."""
    today = timezone.localdate()
    public = selectors.load_public_plan(plan)
    period = period_for_reading(public.periods, public.periods_with_data(), today)
    assessments = selectors.public_assessments(public, period, today=today)
    return render(
        request,
        "public/plan_progress.html",
        {
            "plan": plan,
            "period": period,
            "updated_at": public.updated_at,
            "organisational_values": plan.values.all(),
            "orientations": _orientations(plan, _rows_by_result(public, assessments)),
            "indicator_count": len(public.indicators),
            "canonical_url": request.build_absolute_uri(request.path),
            "description": _(
                "Progress of the %(plan)s of %(organisation)s: its mission, vision, "
                "orientations, expected results and strategies, and the values "
                "of its published indicators."
            )
            % {"plan": plan.title, "organisation": plan.organisation},
        },
    )


def _orientations(plan, rows_by_result):
    """[(orientation, [(result, rows)], strategies)] in the plan's order."""
    return [
        (
            orientation,
            [(result, rows_by_result.get(result.pk, [])) for result in orientation.results.all()],
            orientation.strategies.all(),
        )
        for orientation in selectors.published_structure(plan)
    ]


def _rows_by_result(public, assessments):
    """{result pk: [(BoardIndicator, Chart)]}: each published indicator with the board's words
    for its status, value and target, and its chart over the public periods."""
    rows = {}
    for indicator in public.indicators:
        values = public.values.get(indicator.pk, {})
        targets = public.targets.get(indicator.pk, {})
        levels = public.levels.get(indicator.pk, []) if indicator.has_levels else []
        row = BoardIndicator(
            indicator=indicator,
            assessment=assessments.get(indicator.pk) or selectors.missing_assessment(),
            points=series(public.periods, values, targets),
            levels=levels,
        )
        chart = build_indicator_chart(
            indicator,
            periods=public.periods,
            measurements=values,
            targets=targets,
            levels=levels,
            categories=public.categories.get(indicator.dimension_id, []),
            breakdowns={value.pk: value.breakdowns for value in values.values()},
        )
        rows.setdefault(indicator.result_id, []).append((row, chart))
    return rows


@require_safe
def robots_txt(request):
    """Crawlers read the public pages only, and find them in the sitemap."""
    lines = [
        "User-agent: *",
        f"Allow: {reverse('public:public_index')}",
        "Allow: /static/",
        "Disallow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
