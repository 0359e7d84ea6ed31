from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.charts.indicator import build_indicator_chart
from indicators.models import Evidence, Indicator, strategy_state_label
from indicators.recording.continuity import earlier_points
from indicators.recording.forms import MeasurementForm, PeriodChoiceForm, StrategyProgressForm
from indicators.recording.grid import add_service_errors
from indicators.recording.guard import WriteConflict
from indicators.recording.selectors import indicator_history, plan_periods, todo_rows
from indicators.recording.services import measurement_record, strategy_progress_record
from indicators.rules.periods import period_for_recording, period_from_query, period_problem
from indicators.templatetags.indicator_format import format_measurement
from plan.decorators import current_plan_required
from plan.models import StrategicPlan, Strategy

RECORD_PERMISSIONS = ("indicators.add_measurement", "indicators.change_measurement")


def _period_to_record(request, periods):
    """The POSTed period, else the one of ?periode=, else today's (the period in progress)."""
    return (
        period_from_query(request.POST, periods, "period")
        or period_from_query(request.GET, periods)
        or period_for_recording(periods, timezone.localdate())
    )


def conflict_message(current):
    """French explanation of an optimistic-concurrency refusal, with the current value."""
    if current is None:
        return _(
            "This value was changed by someone else since you opened the form. "
            "Reload the page to see the current value."
        )
    when = localtime(current.updated_at)
    return _(
        "%(person)s changed this value since you opened the form: the current value is "
        "“%(value)s” (saved on %(date)s at %(time)s). Your entry was not saved; check the "
        "current value, then save again if your change is still needed."
    ) % {
        "person": current.updated_by.get_full_name() or current.updated_by.get_username(),
        "value": format_measurement(current),
        "date": date_format(when, "j F Y"),
        "time": date_format(when, "H:i"),
    }


def _indicator_chart(indicator, periods, targets, measurements):
    """The indicator's larger chart, drawn from what the page already fetched."""
    dimension = indicator.dimension
    return build_indicator_chart(
        indicator,
        periods=periods,
        measurements=measurements,
        targets={period_id: target.value for period_id, target in targets.items()},
        levels=[(level.value, level.label) for level in indicator.levels.all()],
        categories=list(dimension.categories.all()) if dimension else [],
        breakdowns={m.pk: list(m.breakdowns.all()) for m in measurements.values()},
        earlier=earlier_points([indicator]).get(indicator.pk, []),
    )


@login_required
@permission_required("indicators.view_indicator", raise_exception=True)
def indicator_detail(request, pk):
    """An indicator: wording, definition, targets, values by period, history and the form.

    Staff record or correct a value through the form; people who can only read (the board)
    see no form and get 403 if they post.
    """
    can_record = request.user.has_perms(RECORD_PERMISSIONS)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    indicator = get_object_or_404(
        Indicator.objects.with_structure()
        .prefetch_related("levels", "dimension__categories")
        .filter(result__orientation__plan__in=StrategicPlan.objects.readable_by(request.user)),
        pk=pk,
    )
    periods = list(plan_periods(indicator.plan))
    targets = {target.period_id: target for target in indicator.targets.all()}
    measurements = {
        measurement.period_id: measurement
        for measurement in indicator.measurements.select_related(
            "recorded_by", "updated_by"
        ).prefetch_related("breakdowns__category", "evidence")
    }
    rows = [
        {
            "period": period,
            "target": targets.get(period.pk),
            "measurement": measurements.get(period.pk),
        }
        for period in periods
    ]

    form = None
    selected = _period_to_record(request, periods)
    if can_record and selected is not None:
        form = MeasurementForm(
            request.POST or None,
            request.FILES or None,
            indicator=indicator,
            measurement=measurements.get(selected.pk),
            period=selected,
        )
        if request.method == "POST" and form.is_valid():
            try:
                measurement = measurement_record(user=request.user, **form.service_kwargs())
            except WriteConflict as conflict:
                form.add_error(None, conflict_message(conflict.current))
                # Keep what the person typed; a deliberate second save starts from now.
                form.data = form.data.copy()
                form.data["version"] = conflict.current.version if conflict.current else 0
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Shown above the form (see the template), where the page lands.
                messages.success(
                    request,
                    _("The value for %(period)s was saved.") % {"period": measurement.period},
                    extra_tags="at-form",
                )
                url = reverse("indicators:indicator_detail", args=[indicator.pk])
                return redirect(f"{url}?periode={measurement.period_id}#saisie")
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "rows": rows,
            "history": indicator_history(indicator),
            "chart": _indicator_chart(indicator, periods, targets, measurements),
            "form": form,
            "selected_period": selected,
            "period_problem": (
                period_problem(plan_id=indicator.result.orientation.plan_id, period=selected)
                if selected
                else None
            ),
            "period_form": PeriodChoiceForm(
                periods=periods, choices=[("periode", _("Period"), selected)]
            ),
        },
    )


@require_safe
@login_required
@permission_required("indicators.add_measurement", raise_exception=True)
@current_plan_required
def measurement_todo(request, plan):
    """“À saisir”: every indicator of the current plan with its state for one period."""
    periods = list(plan_periods(plan))
    period = _period_to_record(request, periods)
    rows = todo_rows(plan=plan, period=period, user=request.user) if period else []
    counts = dict.fromkeys(("recorded", "missing", "not_measured"), 0)
    for row in rows:
        counts[row["state"]] += 1
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/measurement_todo.html",
        {
            "plan": plan,
            "period": period,
            "page_obj": page,
            "counts": counts,
            "period_form": PeriodChoiceForm(
                periods=periods, choices=[("periode", _("Period"), period)]
            ),
        },
    )


@require_safe
@login_required
@permission_required("indicators.view_evidence", raise_exception=True)
def evidence_download(request, pk):
    """An evidence file, only for people allowed to see it, as an attachment."""
    evidence = get_object_or_404(Evidence, pk=pk)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "preuve",
        content_type=evidence.content_type or "application/octet-stream",
    )


@login_required
@permission_required("indicators.add_strategyprogress", raise_exception=True)
def strategy_progress_new(request, pk):
    """Staff record a strategy's state for a period, with a dated note."""
    strategy = get_object_or_404(Strategy.objects.select_related("orientation__plan"), pk=pk)
    history = list(
        strategy.progress.select_related("period", "recorded_by").order_by("period__start_date")
    )
    states = {state.period_id: state for state in history}
    form = StrategyProgressForm(
        request.POST or None, plan=strategy.orientation.plan, strategy=strategy, states=states
    )
    if request.method == "POST" and form.is_valid():
        try:
            strategy_progress_record(
                strategy=strategy,
                period=form.cleaned_data["period"],
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                user=request.user,
                version=form.version(),
            )
        except WriteConflict as conflict:
            form.add_error(None, strategy_conflict_message(conflict.current))
            # Keep what the person typed; a deliberate second save starts from now.
            form.data = form.data.copy()
            form.data["seen"] = StrategyProgressForm.seen_text(
                {s.period_id: s for s in strategy.progress.all()}
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The strategy’s state was recorded."))
            return redirect(strategy)
    return render(
        request,
        "indicators/strategyprogress_form.html",
        {"strategy": strategy, "form": form, "history": history},
    )


def strategy_conflict_message(current):
    """French explanation of a refused strategy state: someone saved one since."""
    person = current.recorded_by.get_full_name() or current.recorded_by.get_username()
    when = localtime(current.recorded_at)
    return _(
        "%(person)s recorded the state of this strategy for %(period)s since you opened the "
        "form: “%(state)s” (on %(date)s at %(time)s). Your entry was not saved; check it, then "
        "save again if your change is still needed."
    ) % {
        "person": person,
        "period": current.period.name,
        "state": strategy_state_label(current.state),
        "date": date_format(when, "j F Y"),
        "time": date_format(when, "H:i"),
    }
