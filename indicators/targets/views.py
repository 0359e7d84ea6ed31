"""The targets grid page: a plan's indicators × periods, saved in one go."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.models import Indicator
from indicators.targets.grid import posted_cells, posted_seen, read_block, target_grid
from indicators.targets.services import targets_save
from plan.models import StrategicPlan


def _left_out(plan):
    """The plan's indicators the grid leaves out: qualitative ones have no numeric target."""
    indicators = (
        Indicator.objects.of_plan(plan).select_related("result").order_by("result__number", "order")
    )
    return [indicator for indicator in indicators if indicator.is_qualitative]


def _plan_of(request):
    """The plan of ?plan=<pk>, else the current plan (None when there is none)."""
    wanted = request.GET.get("plan") or ""
    if not wanted:
        return StrategicPlan.objects.current()
    plan = StrategicPlan.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    if plan is None:
        raise Http404
    return plan


@login_required
@permission_required("indicators.edit_targets", raise_exception=True)
def target_grid_edit(request):
    """Every target of a plan in one grid; a pasted block fills it; one save, all or nothing.

    For administrators and for people given the permission "indicators.edit_targets".
    Without JavaScript the grid is a plain form, and the « Coller un bloc » box reads a block
    copied from a spreadsheet on the server.
    """
    plan = _plan_of(request)
    if plan is None:
        return render(request, "includes/no_plan.html")
    grid = target_grid(plan)
    block, block_errors, other_errors = "", [], []
    if request.method == "POST":
        cells = posted_cells(grid, request.POST)
        seen = posted_seen(request.POST)
        block = request.POST.get("block", "")
        try:
            cells.update(read_block(grid, block))
        except ValidationError as error:
            block_errors = error.messages
        else:
            block = ""  # its numbers are in the cells now
            try:
                changed, deleted = targets_save(
                    plan=plan, cells=cells, user=request.user, seen=seen
                )
            except ValidationError as error:
                other_errors = grid.add_errors(error.message_dict)
            else:
                messages.success(
                    request,
                    _(
                        "The targets were saved (created or changed: %(changed)s; "
                        "deleted: %(deleted)s)."
                    )
                    % {"changed": changed, "deleted": deleted},
                )
                url = reverse("indicators:target_grid")
                return redirect(f"{url}?plan={plan.pk}" if request.GET.get("plan") else url)
        # Cells changed here keep what was typed; the others show the targets saved now, and
        # every cell is seen as it is now, so that a second save is deliberate.
        grid.fill(cells, seen)
    plans = list(StrategicPlan.objects.all())
    return render(
        request,
        "indicators/target_grid.html",
        {
            "plan": plan,
            "plans": plans if len(plans) > 1 else [],
            "grid": grid,
            "left_out": _left_out(plan),
            "block_text": block,
            "block_errors": block_errors,
            "other_errors": other_errors,
        },
    )
