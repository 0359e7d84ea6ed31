"""The statuses of indicators per period as the board reads them: the board's own data read
(board.data, a fixed number of queries per plan) and status rule (board.status), never a
second implementation. Only the indicators and periods of the reader's scope are listed.
Without a token, the public side's statuses: the same rule over the public values only
(public.public_assessments)."""

from django.utils import timezone

from indicators.board.data import load_plan_data
from indicators.board.status import assess_all
from indicators.public import selectors as public


def status_rows(*, scope, plans, period_id=None, indicator_id=None):
    """[dict] one per (indicator, period) of `plans` (already in the reader's scope)."""
    today = timezone.localdate()
    if scope.anonymous:
        return _public_rows(plans, today, period_id=period_id, indicator_id=indicator_id)
    indicator_ids = set(scope.indicators().values_list("pk", flat=True))
    period_ids = set(scope.periods().values_list("pk", flat=True))
    rows = []
    for plan in plans:
        data = load_plan_data(plan)
        indicators = [
            indicator
            for indicator in data.indicators
            if indicator.pk in indicator_ids and indicator_id in (None, indicator.pk)
        ]
        for period in data.periods:
            if period.pk not in period_ids or period_id not in (None, period.pk):
                continue
            assessments = assess_all(data, period, today)
            rows.extend(
                _row(plan, indicator, period, assessments[indicator.pk]) for indicator in indicators
            )
    return rows


def _public_rows(plans, today, *, period_id, indicator_id):
    rows = []
    for plan in plans:
        data = public.load_public_plan(plan)
        indicators = [i for i in data.indicators if indicator_id in (None, i.pk)]
        for period in data.periods:
            if period_id not in (None, period.pk):
                continue
            assessments = public.public_assessments(data, period, today=today)
            rows.extend(
                _row(plan, indicator, period, assessments[indicator.pk]) for indicator in indicators
            )
    return rows


def _row(plan, indicator, period, assessment):
    return {
        "plan": plan.pk,
        "indicator": indicator.pk,
        "indicator_code": indicator.code,
        "period": period.pk,
        "status": str(assessment.status),
        "status_label": str(assessment.label),
        "value": assessment.value,
        "target": assessment.target,
        "percent": assessment.percent,
        "value_period": assessment.period.pk if assessment.period is not None else None,
    }
