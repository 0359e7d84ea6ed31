"""The summary's status chart is drawn from plain counts: one bar per orientation."""

import re
from html import escape
from types import SimpleNamespace

from django.utils import translation

from indicators.charts.status_bars import CHART_WIDTH, NAME_CHAR_WIDTH, fitted, status_chart

STATUSES = [("late", "en retard"), ("watch", "à surveiller"), ("reached", "atteinte")]


def summary(*rows):
    return SimpleNamespace(
        statuses=STATUSES,
        orientations=[
            SimpleNamespace(
                name=name,
                counts=[
                    (status, label, count)
                    for (status, label), count in zip(STATUSES, counts, strict=True)
                ],
                total=sum(counts),
            )
            for name, counts in rows
        ],
    )


def test_each_orientation_is_named_above_a_bar_of_blocks_as_wide_as_their_counts():
    with translation.override("fr-ca"):
        chart = str(
            status_chart(
                summary(("Orientation 1 – Outiller", [2, 0, 6]), ("Orientation 2", [0, 1, 0]))
            )
        )
    assert chart.startswith('<svg class="status-chart" role="img" ')
    assert 'viewBox="0 0 420 96"' in chart  # two rows of 16 + 20 and three gaps of 8
    assert (
        '<text class="chart-label" x="0" y="20" font-size="12">'
        "<title>Orientation 1 – Outiller</title>Orientation 1 – Outiller</text>"
    ) in chart
    fills = re.findall(r'<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" [^>]*fill="(#\w+)"', chart)
    # The widest bar (8 indicators) fills the chart's 416 pixels.
    assert fills == [
        ("0.0", "24", "104.0", "#e35d6a"),
        ("104.0", "24", "312.0", "#75b798"),
        ("0.0", "68", "52.0", "#ffcd39"),
    ]
    # Late and to watch are also hatched, for print and colour blindness; reached is not.
    assert chart.count('fill="url(#hatch-late)"') == 1
    assert chart.count('fill="url(#hatch-watch)"') == 1
    assert ">6</text>" in chart


def test_a_long_name_is_cut_after_a_whole_word_and_kept_whole_in_its_tooltip_and_table():
    name = (
        "Orientation 2 – Contribuer au renforcement d'un écosystème de soutien à l'économie "
        "sociale et au développement territorial."
    )
    chart = str(status_chart(summary((name, [1, 0, 0]))))
    shown = re.search(r"</title>([^<]*)</text>", chart).group(1)
    assert shown == "Orientation 2 – Contribuer au renforcement d&#x27;un écosystème de…"
    assert len(fitted(name)) * NAME_CHAR_WIDTH <= CHART_WIDTH
    assert f"<title>{escape(name)}</title>" in chart
    assert f'<th scope="row">{escape(name)}</th>' in chart
    assert fitted("Orientation 5") == "Orientation 5"


def test_a_count_too_narrow_for_its_block_is_left_to_the_table():
    chart = str(status_chart(summary(("O", [1, 0, 40]))))
    assert ">40</text>" in chart
    assert ">1</text>" not in chart
    assert '<tr><th scope="row">O</th><td>1</td><td>0</td><td>40</td></tr>' in chart


def test_the_table_names_every_status_and_every_text_is_escaped():
    with translation.override("fr-ca"):
        chart = str(status_chart(summary(("<b>O</b>", [0, 0, 0]))))
    assert "<b>" not in chart
    assert "&lt;b&gt;O&lt;/b&gt;" in chart
    assert (
        '<th scope="col">Orientation</th><th scope="col">en retard</th>'
        '<th scope="col">à surveiller</th><th scope="col">atteinte</th>'
    ) in chart
