"""The entry grid: record a whole period's values on one page (`/saisie/<period>/`).

Without JavaScript the page is one form whose POST saves every row that changed, each in its
own transaction, and shows the others' errors. With static/js/entry_grid.js each row is
posted on its own to `measurement_grid_row`, which answers JSON with the row's new HTML.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from indicators.recording.grid import GridFilterForm, grid_rows, period_of_plan, row_form, row_save
from indicators.recording.permissions import record_required
from indicators.rules.periods import period_problem
from plan.decorators import current_plan_required


def _period_or_404(plan, pk):
    period = period_of_plan(plan, pk)
    if period is None:
        raise Http404
    return period


@transaction.non_atomic_requests
@login_required
@record_required
@current_plan_required
def measurement_grid(request, pk, plan):
    """Every indicator of the current plan for one period, each with its own inputs."""
    period = _period_or_404(plan, pk)
    filters = GridFilterForm(request.GET or None, plan=plan)
    rows = grid_rows(
        plan=plan,
        period=period,
        user=request.user,
        orientation=filters.choice("orientation"),
        responsible=filters.choice("responsable"),
    )
    problem = period_problem(plan_id=plan.pk, period=period)
    if request.method == "POST":
        for row in rows:
            row_save(row=row, period=period, user=request.user, data=request.POST)
        saved = sum(row.state == "saved" for row in rows)
        errors = sum(row.state == "error" for row in rows)
        if saved:
            messages.success(
                request,
                ngettext("%(count)s value was saved.", "%(count)s values were saved.", saved)
                % {"count": saved},
            )
        if not errors:
            if not saved:
                messages.info(request, _("Nothing was changed."))
            return redirect(request.get_full_path())
    else:
        for row in rows:
            row.form = row_form(row, period)
        errors = 0
    return render(
        request,
        "indicators/measurement_grid.html",
        {
            "plan": plan,
            "period": period,
            "rows": rows,
            "filters": filters,
            "period_problem": problem,
            "error_count": errors,
        },
        status=400 if errors else 200,
    )


@transaction.non_atomic_requests
@require_POST
@login_required
@record_required
@current_plan_required
def measurement_grid_row(request, pk, indicator_pk, plan):
    """Save one row of the grid (posted by the grid's script); JSON with the row's new HTML."""
    period = _period_or_404(plan, pk)
    rows = grid_rows(plan=plan, period=period, user=request.user, indicator_id=indicator_pk)
    if not rows:
        raise Http404
    # A locked period or closed plan is refused by the form and the service (field "period").
    row = row_save(row=rows[0], period=period, user=request.user, data=request.POST)
    html = render_to_string(
        "includes/_entry_row.html", {"row": row, "period": period}, request=request
    )
    return JsonResponse(
        {"state": row.state, "html": html}, status=400 if row.state == "error" else 200
    )
