"""Preconditions shared by views, as decorators (like Django's `login_required`)."""

import functools

from django.shortcuts import get_object_or_404, render

from plan.models import StrategicPlan


def current_plan_required(view):
    """Call `view(request, …, plan=<the current plan>)`.

    Without a current plan, every page, export and form answers the same explained empty state
    (200), so that a new installation never shows a 404 or an empty file.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        plan = StrategicPlan.objects.current()
        if plan is None:
            return render(request, "includes/no_plan.html")
        return view(request, *args, plan=plan, **kwargs)

    return wrapper


def plan_from_url_or_current(view):
    """Call `view(request, …, plan=…)` with the plan named by the URL's `years`
    (« 2018-2023 », 404 if no plan the reader may read has these years: a board member never
    reads a draft), else with the current plan.

    Every plan stays readable at its own URLs (/plans/2018-2023/…) once another is current;
    without `years`, this is `current_plan_required` (its explained empty state included).
    """
    for_current = current_plan_required(view)

    @functools.wraps(view)
    def wrapper(request, *args, years=None, **kwargs):
        if years is None:
            return for_current(request, *args, **kwargs)
        start, end = (int(year) for year in years.split("-"))
        plan = get_object_or_404(
            StrategicPlan.objects.readable_by(request.user), start_year=start, end_year=end
        )
        return view(request, *args, plan=plan, **kwargs)

    return wrapper
