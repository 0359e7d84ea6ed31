from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from indicators.models import Indicator
from plan.models import Orientation, Result, StrategicPlan, Strategy


def _plan_structure(plan):
    """Orientations of a plan with results, sub-items, indicators and strategies, in 6 queries."""
    return plan.orientations.prefetch_related(
        Prefetch(
            "results",
            queryset=Result.objects.prefetch_related(
                "items", Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
            ),
        ),
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


@login_required
def dashboard(request):
    """Home page; the progress dashboard replaces this redirect."""
    return redirect("plan:plan_detail")


@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
def plan_detail(request):
    """The current plan, read as the document reads, with the strategy × result matrix."""
    plan = StrategicPlan.objects.current()
    if plan is None:
        return render(request, "plan/no_plan.html", status=404)
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


@login_required
@permission_required("plan.view_orientation", raise_exception=True)
def orientation_detail(request, pk):
    """One orientation with its results, indicators and strategies."""
    orientation = get_object_or_404(Orientation.objects.select_related("plan"), pk=pk)
    orientation = _plan_structure(orientation.plan).get(pk=pk)
    return render(request, "plan/orientation_detail.html", {"orientation": orientation})


@login_required
@permission_required("plan.view_result", raise_exception=True)
def result_detail(request, pk):
    """One expected result with its indicators and the strategies that serve it."""
    result = get_object_or_404(
        Result.objects.select_related("orientation__plan").prefetch_related(
            "items", "indicators", "strategies__orientation"
        ),
        pk=pk,
    )
    return render(request, "plan/result_detail.html", {"result": result})
