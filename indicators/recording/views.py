"""The recording pages: an indicator (its values, history and form), « À saisir », evidence
downloads and a strategy's state. The entry grid's pages are in grid_views.py."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.charts.indicator import build_indicator_chart
from indicators.models import Evidence, Indicator, Measurement, ReportingPeriod, Target
from indicators.recording.conflicts import keep_typed_strategy
from indicators.recording.continuity import earlier_points
from indicators.recording.errors import add_service_errors
from indicators.recording.forms import MeasurementForm, PeriodChoiceForm, StrategyProgressForm
from indicators.recording.guard import WriteConflict
from indicators.recording.permissions import can_record, record_required
from indicators.recording.selectors import indicator_history, plan_periods, todo_rows
from indicators.recording.services import strategy_progress_record
from indicators.rules.periods import period_for_recording, period_from_query, period_problem
from plan.decorators import current_plan_required
from plan.models import StrategicPlan, Strategy


def _period_to_record(request, periods):
    """The POSTed period, else the one of ?periode=, else today's (the period in progress)."""
    return (
        period_from_query(request.POST, periods, "period")
        or period_from_query(request.GET, periods)
        or period_for_recording(periods, timezone.localdate())
    )


@dataclass
class _IndicatorReads:
    """What the indicator page reads once: its plan's periods, targets and values by period."""

    periods: list[ReportingPeriod]
    targets: dict[int, Target]
    measurements: dict[int, Measurement]

    @classmethod
    def of(cls, indicator):
        return cls(
            periods=list(plan_periods(indicator.plan)),
            targets={target.period_id: target for target in indicator.targets.all()},
            measurements={
                measurement.period_id: measurement
                for measurement in indicator.measurements.select_related(
                    "recorded_by", "updated_by"
                ).prefetch_related("breakdowns__category", "evidence")
            },
        )

    def rows(self):
        return [
            {
                "period": period,
                "target": self.targets.get(period.pk),
                "measurement": self.measurements.get(period.pk),
            }
            for period in self.periods
        ]

    def chart(self, indicator):
        """The indicator's larger chart, drawn from what the page already fetched; None for a
        kind without a chart, and while there is no value, no target and no earlier plan's
        value (empty axes would say nothing)."""
        if not indicator.kind_spec.has_chart:
            return None
        earlier = earlier_points([indicator]).get(indicator.pk, [])
        has_points = (
            self.targets
            or any(m.value is not None for m in self.measurements.values())
            or any(value is not None for _label, value in earlier)
        )
        if not has_points:
            return None
        dimension = indicator.dimension
        return build_indicator_chart(
            indicator,
            periods=self.periods,
            measurements=self.measurements,
            targets={period_id: target.value for period_id, target in self.targets.items()},
            levels=[(level.value, level.label) for level in indicator.levels.all()],
            categories=list(dimension.categories.all()) if dimension else [],
            breakdowns={m.pk: list(m.breakdowns.all()) for m in self.measurements.values()},
            earlier=earlier,
        )


def _saved(request, measurement):
    """After a save: the message above the form (see the template), where the page lands."""
    messages.success(
        request,
        _("The value for %(period)s was saved.") % {"period": measurement.period},
        extra_tags="at-form",
    )
    url = reverse("indicators:indicator_detail", args=[measurement.indicator_id])
    return redirect(f"{url}?periode={measurement.period_id}#saisie")


@login_required
@permission_required("indicators.view_indicator", raise_exception=True)
def indicator_detail(request, pk):
    """An indicator: wording, definition, targets, values by period, history and the form.

    Staff record or correct a value through the form; people who can only read (the board)
    see no form and get 403 if they post.
    """
    recorder = can_record(request.user)
    if request.method == "POST" and not recorder:
        raise PermissionDenied
    indicator = get_object_or_404(
        Indicator.objects.with_structure()
        .prefetch_related("levels", "dimension__categories")
        .filter(result__orientation__plan__in=StrategicPlan.objects.readable_by(request.user)),
        pk=pk,
    )
    reads = _IndicatorReads.of(indicator)
    selected = _period_to_record(request, reads.periods)
    form = None
    if recorder and selected is not None:
        form = MeasurementForm(
            request.POST or None,
            request.FILES or None,
            indicator=indicator,
            measurement=reads.measurements.get(selected.pk),
            period=selected,
        )
        if request.method == "POST" and form.is_valid():
            measurement = form.save(user=request.user)
            if measurement is not None:
                return _saved(request, measurement)
    problem = (
        period_problem(plan_id=indicator.result.orientation.plan_id, period=selected)
        if selected
        else None
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "rows": reads.rows(),
            "history": indicator_history(indicator),
            "chart": reads.chart(indicator),
            "form": form,
            "selected_period": selected,
            "period_problem": problem,
            "period_form": PeriodChoiceForm(
                periods=reads.periods, choices=[("periode", _("Period"), selected)]
            ),
        },
    )


@require_safe
@login_required
@record_required
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
            now = {state.period_id: state for state in strategy.progress.all()}
            keep_typed_strategy(form, conflict.current, now)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The strategy’s state was recorded."))
            return redirect(strategy)
    return render(
        request,
        "indicators/strategyprogress_form.html",
        {"strategy": strategy, "form": form, "history": history},
    )
