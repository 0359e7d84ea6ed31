"""Copy a plan into a new draft plan: its structure and definitions, never what was recorded.

The copy takes the plan's text, values, orientations, results with their sub-items, strategies
with their sub-items and the results they serve, indicators with their full definitions
(dimensions are shared by all plans), scale levels and, on request, targets. It gets its own
yearly periods. It never takes measurements, evidence, strategy states or meetings. The copy
is a draft: not current, not closed. Each copied indicator remembers the one it came from.
"""

from django.db import transaction

from indicators.lifecycle.periods import plan_create_default_periods
from indicators.models import Indicator, ReportingPeriod
from plan.models import StrategicPlan


def _clone(instance, **changes):
    """A saved copy of `instance` with every concrete field but the key, then `changes`.

    Copying every field (rather than a list) means a field added later is copied too.
    `changes` may give related objects (`result=…`), which also saves their queries.
    """
    clone = type(instance)(
        **{
            field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
            if not field.primary_key
        }
    )
    for name, value in changes.items():
        setattr(clone, name, value)
    clone.full_clean()
    clone.save()
    return clone


def _copy_structure(source, plan):
    """Copy the values, orientations, results, strategies and their sub-items into `plan`;
    return {source result pk: its copy}."""
    for value in source.values.all():
        _clone(value, plan=plan)
    orientations = list(
        source.orientations.prefetch_related(
            "results__items", "strategies__items", "strategies__results"
        )
    )
    results, orientation_copies = {}, {}
    for orientation in orientations:
        new_orientation = orientation_copies[orientation.pk] = _clone(orientation, plan=plan)
        for result in orientation.results.all():
            results[result.pk] = _clone(result, orientation=new_orientation)
            for item in result.items.all():
                _clone(item, result=results[result.pk])
    # Strategies after every result: a strategy can serve results of other orientations.
    for orientation in orientations:
        for strategy in orientation.strategies.all():
            new_strategy = _clone(strategy, orientation=orientation_copies[orientation.pk])
            for item in strategy.items.all():
                _clone(item, strategy=new_strategy)
            new_strategy.results.set([results[result.pk] for result in strategy.results.all()])
    return results


def _copy_indicators(source, *, results, new_periods, with_targets):
    """Copy the indicators of `source` under the `results` copies, with their scale levels
    and, `with_targets`, their targets: the n-th period's goes to the n-th of `new_periods`."""
    periods_by_name = {period.name: period for period in new_periods}
    source_periods = ReportingPeriod.objects.of_plan(source).order_by("start_date")
    position_map = dict(zip(source_periods.values_list("pk", flat=True), new_periods, strict=False))
    indicators = (
        Indicator.objects.of_plan(source)
        .select_related("baseline_period", "result__orientation__plan")
        .prefetch_related("levels", "targets")
        .order_by("result__number", "order")
    )
    for indicator in indicators:
        baseline_period = periods_by_name.get(getattr(indicator.baseline_period, "name", None))
        new_indicator = _clone(
            indicator,
            result=results[indicator.result_id],
            baseline_period=baseline_period,
            carried_over_from=indicator,
            shows_earlier_values=False,
            **({} if with_targets else {"end_target_value": None, "end_target_comment": ""}),
        )
        for level in indicator.levels.all():
            _clone(level, indicator=new_indicator)
        for target in indicator.targets.all() if with_targets else ():
            if target.period_id in position_map:
                _clone(target, indicator=new_indicator, period=position_map[target.period_id])


@transaction.atomic
def plan_copy(*, source, title, start_year, end_year, with_targets=False):
    """Copy `source` into a new draft plan called `title`, for `start_year`–`end_year`.

    Targets (per period, and the end-of-plan target) are copied only `with_targets`: the
    n-th period's target goes to the n-th period of the copy. Raises ValidationError (keyed
    by the plan's field names) and writes nothing when the new plan is not valid.
    """
    plan = _clone(
        source,
        title=title,
        start_year=start_year,
        end_year=end_year,
        is_current=False,
        is_closed=False,
    )
    new_periods = plan_create_default_periods(plan=plan)
    results = _copy_structure(source, plan)
    _copy_indicators(source, results=results, new_periods=new_periods, with_targets=with_targets)
    return plan


def plan_by_years_or_id(text):
    """The plan named by its years (« 2018-2023 ») or its id (« 3 »), or None."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit():
        return StrategicPlan.objects.filter(pk=int(text)).first()
    start, _sep, end = text.partition("-")
    if not (f"{start}{end}".isascii() and start.isdigit() and end.isdigit()):
        return None
    return StrategicPlan.objects.filter(start_year=int(start), end_year=int(end)).first()
