"""Preconditions shared by views, as decorators (like Django's `login_required`)."""

import functools

from django.shortcuts import render

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
