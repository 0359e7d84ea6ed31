"""The SVG toolkit every chart is drawn with: rounded numbers, escaped text, scales, axes,
legend and data table."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.charts import svg
from indicators.rules.formatting import Formatter

AREA = svg.Area(width=640, height=280, left=64, right=16, top=16, bottom=44)


def test_svg_html_rounds_numbers_to_a_tenth_and_escapes_every_text():
    markup = svg.svg_html('<text x="{:.1f}" y="{}">{}</text>', 1.26, 3, '<b>"x"</b>')
    assert markup == '<text x="1.3" y="3">&lt;b&gt;&quot;x&quot;&lt;/b&gt;</text>'


def test_svg_open_names_the_chart_by_its_title_and_describes_it():
    markup = svg.svg_open(100, 50, title="T <1>", desc="D & d", css_class="c")
    assert markup.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="c" role="img" ')
    assert 'viewBox="0 0 100 50" width="100" height="50"' in markup
    assert 'aria-label="T &lt;1&gt;"' in markup
    assert markup.endswith("<title>T &lt;1&gt;</title><desc>D &amp; d</desc>")


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 1.0), (-3, 1.0), (0.3, 0.5), (1, 1.0), (7, 10.0), (12, 20.0), (23, 25.0), (100, 100.0)],
)
def test_an_axis_ends_at_one_two_two_and_a_half_or_five_times_a_power_of_ten(value, top):
    assert svg.nice_max(value) == top


def test_an_axis_without_numbers_goes_up_to_one():
    assert svg.axis_top([]) == 1.0
    assert svg.axis_top([3.0, 17.0]) == 20.0


def test_ticks_are_evenly_spaced_and_written_in_the_language():
    with translation.override("fr-ca"):
        marks = svg.ticks(10.0, Formatter.active())
    assert marks == [(0.0, "0"), (2.5, "2,5"), (5.0, "5"), (7.5, "7,5"), (10.0, "10")]


def test_a_series_is_broken_at_its_gaps():
    points = [None, (1, 1), (2, 2), None, None, (3, 3), None]
    assert list(svg.segments(points)) == [[(1, 1), (2, 2)], [(3, 3)]]
    assert list(svg.segments([None])) == []


def test_a_polyline_is_dashed_only_when_asked():
    plain = svg.polyline([(1.04, 2), (3, 4.55)], css_class="a", colour="#000", width="2")
    assert plain == (
        '<polyline class="a" points="1.0,2.0 3.0,4.5" fill="none" stroke="#000" stroke-width="2"/>'
    )
    dashed = svg.polyline([(0, 0)], css_class="a", colour="#000", width="2", dash="6 4")
    assert dashed.endswith('stroke-width="2" stroke-dasharray="6 4"/>')


def test_a_dot_names_itself_on_hover():
    markup = svg.dot(
        (1.0, 2.0), css_class="v", radius="4", colour="#111", label="2018 <x>", text="12"
    )
    assert markup == (
        '<circle class="v" cx="1.0" cy="2.0" r="4" fill="#111">'
        "<title>2018 &lt;x&gt; : 12</title></circle>"
    )


def test_axes_put_periods_in_the_middle_of_their_slot_and_zero_at_the_bottom():
    axes = svg.Axes(area=AREA, top=10.0, slots=4)
    assert axes.slot == 140.0
    assert [axes.x(i) for i in range(4)] == [134.0, 274.0, 414.0, 554.0]
    assert axes.y(0) == 236.0
    assert axes.y(Decimal(10)) == 16.0
    assert axes.y(5) == 126.0


def test_the_left_margin_makes_room_for_the_longest_axis_label():
    assert AREA.fitting([(0, "0"), (10, "10")]).left == 64
    fitted = AREA.fitting([(5, "5 – Transformation")])
    assert fitted.left == 12 + round(6.5 * len("5 – Transformation"))
    assert fitted.plot_width == 640 - fitted.left - 16


def test_the_frame_thins_out_period_labels_that_would_overlap():
    labels = [f"Période très longue {n}" for n in range(12)]
    axes = svg.Axes(area=AREA, top=1.0, slots=len(labels))
    markup = "".join(str(part) for part in svg.frame(axes, labels, [(0, "0"), (1, "1")]))
    shown = [label for label in labels if f">{label}<" in markup]
    # 21 letters take 8 + 6.5 × 21 = 144.5 pixels: every fourth slot of 560 / 12 = 46.7.
    assert shown == labels[::4]
    assert markup.count('class="chart-grid"') == 2
    assert markup.endswith('<line x1="64" y1="236" x2="624" y2="236" stroke="#495057"/>')


def test_the_legend_wraps_to_the_chart_width():
    entries = [("#000", f"Catégorie {n:02d}", False) for n in range(17)]
    assert svg.legend_rows(AREA, []) == 0
    assert svg.legend_rows(AREA, entries[:2]) == 1
    rows = svg.legend_rows(AREA, entries)
    # 28 + 7 × 12 = 112 pixels each: five fit between 64 and 624.
    assert rows == 4
    markup = "".join(str(part) for part in svg.legend(AREA, entries, 100))
    assert markup.count("<rect ") == 17
    assert f'y="{100 + 18 * (rows - 1)}" font-size="11">Catégorie 16<' in markup
    dashed = "".join(str(part) for part in svg.legend(AREA, [("#111", "Cible", True)], 10))
    assert 'stroke-dasharray="5 3"' in dashed
    assert "<rect" not in dashed


def test_the_data_table_heads_each_row_with_its_first_cell_and_escapes_every_cell():
    table = svg.data_table("Légende <1>", ["A", "B"], [("x & y", 3), ("z", "<i>")])
    assert table == (
        '<div class="visually-hidden"><table><caption>Légende &lt;1&gt;</caption>'
        '<thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead><tbody>'
        '<tr><th scope="row">x &amp; y</th><td>3</td></tr>'
        '<tr><th scope="row">z</th><td>&lt;i&gt;</td></tr></tbody></table></div>'
    )
