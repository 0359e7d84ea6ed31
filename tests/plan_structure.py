"""A plan's structure and text as plain data, to compare two plans (copy, import)."""

from indicators.models import Indicator
from plan.models import Strategy

PLAN_TEXT = [
    "subtitle",
    "organisation",
    "mission",
    "intentions_intro",
    "intentions",
    "approach",
    "vision",
    "distinctive_strengths",
    "preamble",
    "indicators_footnote",
    "document_author",
    "document_date",
    "on_track_threshold",
    "watch_threshold",
]
INDICATOR_FIELDS = [
    "order",
    "wording",
    "definition",
    "kind",
    "kind_is_proposal",
    "unit",
    "direction",
    "dimension_id",
    "is_cumulative",
    "frequency",
    "responsible_id",
    "data_source",
    "method",
    "baseline_value",
    "baseline_date",
    "baseline_comment",
]


def plan_structure(plan):
    """Everything a plan's structure holds, without keys, titles or years."""
    return {
        "plan": [getattr(plan, name) for name in PLAN_TEXT],
        "values": [
            (v.category, v.name, v.definition, v.order) for v in plan.values.order_by("order")
        ],
        "orientations": [(o.number, o.title) for o in plan.orientations.order_by("number")],
        "results": [
            (
                r.orientation.number,
                r.number,
                r.statement,
                [(i.letter, i.text) for i in r.items.all()],
            )
            for o in plan.orientations.order_by("number")
            for r in o.results.order_by("number")
        ],
        "indicators": [
            (
                i.result.number,
                *[getattr(i, name) for name in INDICATOR_FIELDS],
                [(level.value, level.label, level.description) for level in i.levels.all()],
            )
            for i in Indicator.objects.of_plan(plan).order_by("result__number", "order")
        ],
        "strategies": [
            (
                s.orientation.number,
                s.order,
                s.text,
                sorted(r.number for r in s.results.all()),
                [(i.letter, i.text) for i in s.items.all()],
            )
            for s in Strategy.objects.filter(orientation__plan=plan).order_by(
                "orientation__number", "order"
            )
        ],
    }
