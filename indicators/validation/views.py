"""The validation pages: the periods with values to validate, and a period's bulk page.

The bulk page is one form: tick rows and press « Valider la sélection » (one click for the
whole period), or write a comment beside a row and press its « Retourner » button. Every
write goes through services.py (write guard, versions); the permission is checked here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from indicators.models import Measurement, ReportingPeriod
from indicators.recording.conflicts import conflict_message
from indicators.recording.guard import WriteConflict
from indicators.rules.periods import period_problem
from indicators.validation.selectors import periods_awaiting, validation_rows
from indicators.validation.services import (
    VALIDATE_PERMISSION,
    measurement_return,
    measurements_validate,
)
from plan.decorators import current_plan_required

validate_required = permission_required(VALIDATE_PERMISSION, raise_exception=True)


@require_safe
@login_required
@validate_required
@current_plan_required
def measurement_validation_index(request, plan):
    """The current plan's periods, each with how many values await validation."""
    return render(
        request,
        "indicators/measurement_validation_index.html",
        {"plan": plan, "periods": periods_awaiting(plan=plan)},
    )


def _versions(post, ids):
    """{measurement id: version seen} of the ticked rows; rows without a version are left."""
    versions = {}
    for raw in ids:
        try:
            versions[int(raw)] = int(post.get(f"version-{raw}", ""))
        except ValueError:
            continue
    return versions


def _validate_selected(request, period):
    versions = _versions(request.POST, request.POST.getlist("selection"))
    if not versions:
        messages.error(request, _("Tick at least one value to validate."))
        return
    outcome = measurements_validate(period=period, user=request.user, versions=versions)
    if outcome.validated:
        count = len(outcome.validated)
        messages.success(
            request,
            ngettext("%(count)s value was validated.", "%(count)s values were validated.", count)
            % {"count": count},
        )
    for _pk, reason, current in outcome.refused:
        wording = str(current.indicator) if current is not None else ""
        messages.error(
            request, _("%(category)s: %(problem)s") % {"category": wording, "problem": reason}
        )


def _return_one(request, period, measurement_id):
    """Return one value with its comment; {measurement id: error} to show on its row."""
    measurement = Measurement.objects.filter(pk=measurement_id, period=period).first()
    if measurement is None:
        raise Http404
    comment = request.POST.get(f"comment-{measurement_id}", "")
    try:
        version = int(request.POST.get(f"version-{measurement_id}", ""))
    except ValueError:
        version = 0
    try:
        measurement_return(
            measurement=measurement, user=request.user, version=version, comment=comment
        )
    except WriteConflict as conflict:
        return {measurement_id: conflict_message(conflict.current)}
    except ValidationError as error:
        return {measurement_id: " ".join(error.messages)}
    messages.success(
        request,
        _("The value of “%(indicator)s” was returned to its author, who is told by e-mail.")
        % {"indicator": measurement.indicator},
    )
    return {}


@require_http_methods(["GET", "POST"])
@login_required
@validate_required
@current_plan_required
def measurement_validation(request, pk, plan):
    """A period's values awaiting validation: validate the ticked ones, or return one."""
    period = ReportingPeriod.objects.filter(plan=plan, pk=pk).select_related("plan").first()
    if period is None:
        raise Http404
    errors = {}
    if request.method == "POST":
        returned = request.POST.get("return")
        if returned:
            try:
                errors = _return_one(request, period, int(returned))
            except ValueError:
                raise Http404 from None
        else:
            try:
                _validate_selected(request, period)
            except ValidationError as error:
                for problem in error.messages:
                    messages.error(request, problem)
        if not errors:
            return redirect(request.get_full_path())
    rows = validation_rows(period=period, user=request.user)
    for row in rows:
        row.error = errors.get(row.measurement.pk, "")
        row.typed_comment = request.POST.get(f"comment-{row.measurement.pk}", "") if errors else ""
    return render(
        request,
        "indicators/measurement_validation.html",
        {
            "plan": plan,
            "period": period,
            "rows": rows,
            "pending_count": sum(row.is_pending for row in rows),
            "period_problem": period_problem(plan_id=plan.pk, period=period),
        },
        status=400 if errors else 200,
    )
