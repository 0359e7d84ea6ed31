"""The dashboard's compact sparkline: the last few periods, with their numbers said once.

The dashboard repeats this chart on every indicator row (200 rows on a large plan), so it
draws the last `COUNT` periods up to the period shown and gives their numbers once, as the
SVG's accessible name: no <desc>, no hidden table. The indicator's page has the full chart and
its table.
"""

import functools

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from indicators.charts.svg import segments
from indicators.rules.formatting import Formatter

COUNT = 6
WIDTH, HEIGHT, PAD = 96, 28, 3


def recent_points(points, upto=None, count=COUNT):
    """The last `count` points up to the period named `upto` (all of them when None)."""
    if upto is not None:
        names = [name for name, _, _ in points]
        if upto in names:
            points = points[: names.index(upto) + 1]
    return points[-count:]


def _path(coords):
    """An SVG path through the points, broken where a value is missing (None).

    A point alone between two gaps is drawn as a short dash, so that it stays visible.
    """
    parts = []
    for segment in segments(coords):
        if len(segment) == 1:
            (px, py) = segment[0]
            parts.append(f"M{px - 3:.0f} {py:.0f}h6")
            continue
        parts.append("M" + "L".join(f"{px:.0f} {py:.0f}" for px, py in segment))
    return "".join(parts)


@functools.lru_cache(maxsize=16)
def _words(language):
    """(« aucune valeur », « cible », « Tendance : … », « Aucune période. ») in `language`,
    looked up once per language, not three times per chart (800 rows on a large plan)."""
    with translation.override(language):
        return (
            gettext("no value"),
            gettext("target"),
            gettext("Trend: %(values)s"),
            gettext("No period."),
        )


def _label(points):
    """« 2021-2022 : 12 (cible 10) ; … » (a level by its number: the row says its label)."""
    # Once per chart, not once per number: the language's format and words.
    number = Formatter.active().number
    no_value, target_word, trend, no_period = _words(translation.get_language())
    said = []
    for name, value, target in points:
        shown = number(value) if value is not None else no_value
        if target is not None:
            shown += f" ({target_word} {number(target)})"
        said.append(f"{name} : {shown}")
    return trend % {"values": " ; ".join(said) if said else no_period}


def compact_sparkline(points, *, upto=None, earlier=()):
    """SVG markup: values (solid) against targets (dashed), its numbers in its name only.

    `earlier`: [(label, value)] of the earlier plans (a carried-over indicator): the last of
    them fill the room the plan's own periods leave, greyed, before them.
    """
    points = recent_points(points, upto)
    room = COUNT - len(points)
    earlier = [(label, value, None) for label, value in earlier][-room:] if room > 0 else []
    shift = len(earlier)
    points = earlier + points
    numbers = [float(n) for _, v, t in points for n in (v, t) if n is not None]
    top = max(numbers) if numbers else 1.0
    top = top or 1.0
    count = len(points)

    def x(index):
        return PAD + (WIDTH - 2 * PAD) * (index / (count - 1) if count > 1 else 0.5)

    def y(number):
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(number) / top

    coords = [(x(i), y(v)) if v is not None else None for i, (_, v, _) in enumerate(points)]
    values, before = coords[shift:], coords[:shift]
    targets = [(x(i), y(t)) if t is not None else None for i, (_, _, t) in enumerate(points)]
    last = next((p for p in reversed(values) if p is not None), None)
    dot = ""
    if last is not None:
        dot = f'<circle cx="{last[0]:.0f}" cy="{last[1]:.0f}" r="2.5"/>'
    earlier_path = _path(before)
    # Plain string building: the label is the only text, escaped once; the rest is numbers.
    return mark_safe(  # noqa: S308
        f'<svg class="sparkline" role="img" aria-label="{escape(_label(points))}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">'
        + (f'<path class="e" d="{earlier_path}"/>' if earlier_path else "")
        + f'<path class="t" d="{_path(targets) or "M0 0"}"/>'
        f'<path class="v" d="{_path(values) or "M0 0"}"/>{dot}</svg>'
    )
