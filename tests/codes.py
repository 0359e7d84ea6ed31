"""Find the objects of the 2018-2023 plan by their code, never by their wording.

The codes are those of the plan's table and of the values export:

- an orientation by its number, 1 to 5;
- a result by its number, which runs across the whole plan (1 to 7), not within an orientation;
- an indicator by "<result number>.<order within the result>", e.g. "1.2", the code of the
  values export and import (`Indicator.code`);
- a strategy by "<orientation number>.<order within the orientation>", e.g. "2.3";
- a period by its name, e.g. "2019-2020".

Each function reads the 2018-2023 plan unless another plan is given.
"""

from indicators.models import Indicator, ReportingPeriod
from plan.models import Orientation, Result, StrategicPlan, Strategy

PLAN_TITLE = "Plan stratégique 2018-2023"


def the_plan():
    """The 2018-2023 plan, as loaded from its fixture."""
    return StrategicPlan.objects.get(title=PLAN_TITLE)


def _of_plan(plan, path):
    """A filter on the plan through `path` (e.g. "orientation__plan")."""
    if plan is None:
        return {f"{path}__title": PLAN_TITLE}
    return {path: plan}


def _split(code):
    """ "1.2" -> (1, 2)."""
    first, second = str(code).split(".")
    return int(first), int(second)


def orientation(number, plan=None):
    return Orientation.objects.get(number=number, **_of_plan(plan, "plan"))


def result(number, plan=None):
    return Result.objects.get(number=number, **_of_plan(plan, "orientation__plan"))


def indicator(code, plan=None):
    result_number, order = _split(code)
    return Indicator.objects.get(
        result__number=result_number, order=order, **_of_plan(plan, "result__orientation__plan")
    )


def strategy(code, plan=None):
    orientation_number, order = _split(code)
    return Strategy.objects.get(
        orientation__number=orientation_number, order=order, **_of_plan(plan, "orientation__plan")
    )


def period(name, plan=None):
    return ReportingPeriod.objects.get(name=name, **_of_plan(plan, "plan"))
