"""The entry grid: record a whole period's values on one page (`/saisie/<period>/`).

Without JavaScript the page is one form whose POST saves every row that changed, each in its
own transaction, and shows the others' errors (« Save all rows »: one request for the page).
With static/js/entry_grid.js each row is also posted on its own, when it is left, to
`measurement_grid_row`, which answers JSON with the row's new HTML and the period's progress.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from indicators.recording.grid import (
    LARGE_PLAN,
    STATE_SAVED,
    GridFilterForm,
    grid_pages,
    grid_post,
    grid_rows,
    period_of_plan,
    period_progress,
    plan_orientations,
    row_form,
    row_groups,
    row_save,
    rows_save,
)
from indicators.recording.grid_cells import grid_texts, row_view
from indicators.recording.permissions import record_required
from indicators.rules.formatting import Formatter
from indicators.rules.periods import period_problem
from plan.decorators import current_plan_required


def _period_or_404(plan, pk):
    period = period_of_plan(plan, pk)
    if period is None:
        raise Http404
    return period


def _page_number(request, count):
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    return min(max(number, 1), count)


def _prepare(rows, period):
    """Build each row's form (unless a POST bound it) and what its templates print."""
    urls = (
        reverse("indicators:measurement_grid_row", args=[period.pk, 0]),
        reverse("indicators:indicator_detail", args=[0]),
    )
    fmt = Formatter.active()
    for row in rows:
        if row.form is None:
            row.form = row_form(row, period)
        row.view = row_view(row, urls=urls, fmt=fmt)


def _page_links(request, orientation, count):
    """[(page number, query string)], keeping the filters."""
    query = request.GET.copy()
    if orientation is not None:
        query["orientation"] = orientation
    links = []
    for number in range(1, count + 1):
        query["page"] = number
        links.append((number, query.urlencode()))
    return links


def _shown_rows(request, plan, period):
    """(filters, the rows of the page asked, page number, page count, orientations, large)."""
    orientations = plan_orientations(plan)
    saved, total = period_progress(plan=plan, period=period)
    large = total > LARGE_PLAN
    filters = GridFilterForm(request.GET or None, plan=plan, orientations=orientations, large=large)
    orientation = filters.choice("orientation")
    if large and orientation is None and orientations:
        orientation = orientations[0].number
    rows = grid_rows(
        plan=plan,
        period=period,
        user=request.user,
        orientation=orientation,
        responsible=filters.choice("responsable"),
    )
    if filters.choice("manquants"):
        rows = [row for row in rows if row.measurement is None]
    pages = grid_pages(rows)
    number = _page_number(request, len(pages))
    return {
        "filters": filters,
        "rows": pages[number - 1],
        "page_number": number,
        "page_count": len(pages),
        "page_links": _page_links(request, orientation, len(pages)),
        "orientations": orientations if large else [],
        "orientation": orientation,
        "progress": {"saved": saved, "total": total},
    }


def _save_page(request, rows, period):
    """Save every changed row of the page; a message for the saved ones; the errors' count."""
    data = grid_post(request.POST, rows, period)
    rows_save(rows=rows, period=period, user=request.user, data=data)
    saved = sum(row.state == STATE_SAVED for row in rows)
    errors = sum(row.failed for row in rows)
    if saved:
        messages.success(
            request,
            ngettext("%(count)s value was saved.", "%(count)s values were saved.", saved)
            % {"count": saved},
        )
    if not saved and not errors:
        messages.info(request, _("Nothing was changed."))
    return errors


@transaction.non_atomic_requests
@login_required
@record_required
@current_plan_required
def measurement_grid(request, pk, plan):
    """Every indicator of the current plan for one period (a page of them for a large plan),
    one table row each."""
    period = _period_or_404(plan, pk)
    shown = _shown_rows(request, plan, period)
    rows = shown["rows"]
    errors = 0
    if request.method == "POST":
        # A page posts at most grid.FIELD_BUDGET fields: never Django's 400 for too many.
        errors = _save_page(request, rows, period)
        if not errors:
            return redirect(request.get_full_path())
        shown["progress"]["saved"], _total = period_progress(plan=plan, period=period)
    _prepare(rows, period)
    context = {
        "plan": plan,
        "period": period,
        "groups": row_groups(rows),
        "period_problem": period_problem(plan_id=plan.pk, period=period),
        "error_count": errors,
        "failed_rows": [row for row in rows if row.failed],
        "t": grid_texts(),
        **shown,
    }
    return render(
        request, "indicators/measurement_grid.html", context, status=400 if errors else 200
    )


@transaction.non_atomic_requests
@require_POST
@login_required
@record_required
@current_plan_required
def measurement_grid_row(request, pk, indicator_pk, plan):
    """Save one row of the grid (posted by the grid's script); JSON with the row's new HTML,
    its state and the period's progress."""
    period = _period_or_404(plan, pk)
    rows = grid_rows(plan=plan, period=period, user=request.user, indicator_id=indicator_pk)
    if not rows:
        raise Http404
    # A locked period or closed plan is refused by the form and the service (field "period").
    row = row_save(
        row=rows[0], period=period, user=request.user, data=grid_post(request.POST, rows, period)
    )
    _prepare([row], period)
    html = render_to_string(
        "indicators/grid/_row.html",
        {"row": row, "period": period, "t": grid_texts()},
        request=request,
    )
    saved, total = period_progress(plan=plan, period=period)
    return JsonResponse(
        {"state": row.state, "html": html, "progress": {"saved": saved, "total": total}},
        status=400 if row.failed else 200,
    )
