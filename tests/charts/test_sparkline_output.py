"""The sparkline built by plain string building is byte for byte the one format_html built."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

from indicators.charts import sparkline as sparklines
from indicators.rules.formatting import format_number


def previous_sparkline(points, *, upto=None):
    """The sparkline as it was built before (format_html, a language look-up per number)."""
    points = sparklines.recent_points(points, upto)
    numbers = [float(n) for _, v, t in points for n in (v, t) if n is not None]
    top = (max(numbers) if numbers else 1.0) or 1.0
    count = len(points)

    def x(index):
        return sparklines.PAD + (sparklines.WIDTH - 2 * sparklines.PAD) * (
            index / (count - 1) if count > 1 else 0.5
        )

    def y(number):
        return (
            sparklines.HEIGHT
            - sparklines.PAD
            - (sparklines.HEIGHT - 2 * sparklines.PAD) * float(number) / top
        )

    values = [(x(i), y(v)) if v is not None else None for i, (_, v, _) in enumerate(points)]
    targets = [(x(i), y(t)) if t is not None else None for i, (_, _, t) in enumerate(points)]
    last = next((p for p in reversed(values) if p is not None), None)
    dot = ""
    if last is not None:
        dot = format_html('<circle cx="{}" cy="{}" r="2.5"/>', *(f"{c:.0f}" for c in last))
    said = []
    for name, value, target in points:
        shown = format_number(value) if value is not None else gettext("no value")
        if target is not None:
            shown += f" ({gettext('target')} {format_number(target)})"
        said.append(f"{name} : {shown}")
    label = gettext("Trend: %(values)s") % {
        "values": " ; ".join(said) if said else gettext("No period.")
    }
    return format_html(
        '<svg class="sparkline" role="img" aria-label="{}" viewBox="0 0 {} {}">'
        '<path class="t" d="{}"/><path class="v" d="{}"/>{}</svg>',
        label,
        sparklines.WIDTH,
        sparklines.HEIGHT,
        sparklines._path(targets) or "M0 0",
        sparklines._path(values) or "M0 0",
        dot,
    )


D = Decimal
CASES = [
    [],
    [("2018-2019", None, None)],
    [("2018-2019", D("12"), None)],
    [("2018-2019", D("1234.5"), D("2000")), ("2019-2020", None, D("2500"))],
    [(f"{y}-{y + 1}", D(y % 7) * D("1.25"), D(5) if y % 2 else None) for y in range(2000, 2020)],
    [("<b>période</b> & « 1 »", D("-3"), D("0")), ("2020-2021", D("0"), D("0"))],
    [("a", None, None), ("b", D("99999.994"), None), ("c", None, None), ("d", D(1), D(1))],
]


@pytest.mark.parametrize("language", ["fr-ca", "en"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_sparkline_is_byte_identical_to_the_format_html_one(language, case):
    points = CASES[case]
    with translation.override(language):
        for upto in (None, points[0][0] if points else None, "absent"):
            assert str(sparklines.compact_sparkline(points, upto=upto)) == str(
                previous_sparkline(points, upto=upto)
            )
