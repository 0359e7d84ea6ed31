from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from plan.decorators import current_plan_required
from plan.models import Result, Strategy


def _plan_structure(plan):
    """Orientations of a plan with results, sub-items, indicators and strategies, in 6 queries."""
    return plan.orientations.prefetch_related(
        # The indicators come through the reverse relation: plan imports no other project app.
        Prefetch("results", queryset=Result.objects.prefetch_related("items", "indicators")),
        Prefetch("strategies", queryset=Strategy.objects.prefetch_related("items", "results")),
    )


def strategy_matrix(orientations):
    """Rows of (strategy, [served? for each result of the plan]) for the nested framework."""
    results = [result for orientation in orientations for result in orientation.results.all()]
    rows = []
    for orientation in orientations:
        for strategy in orientation.strategies.all():
            served = {result.pk for result in strategy.results.all()}
            rows.append((strategy, [result.pk in served for result in results]))
    return results, rows


@require_safe
@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
@current_plan_required
def plan_detail(request, plan):
    """The current plan, read as the document reads, with the strategy × result matrix."""
    orientations = list(_plan_structure(plan))
    matrix_results, matrix_rows = strategy_matrix(orientations)
    return render(
        request,
        "plan/strategicplan_detail.html",
        {
            "plan": plan,
            "values": plan.values.all(),
            "orientations": orientations,
            "matrix_results": matrix_results,
            "matrix_rows": matrix_rows,
        },
    )
