"""The summary's status chart is drawn from plain counts: one bar per orientation."""

import re
from types import SimpleNamespace

from django.utils import translation

from indicators.charts.status_bars import status_chart

STATUSES = [("late", "en retard"), ("watch", "à surveiller"), ("reached", "atteinte")]


def summary(*rows):
    return SimpleNamespace(
        statuses=STATUSES,
        orientations=[
            SimpleNamespace(
                orientation=name,
                counts=[
                    (status, label, count)
                    for (status, label), count in zip(STATUSES, counts, strict=True)
                ],
                total=sum(counts),
            )
            for name, counts in rows
        ],
    )


def test_each_orientation_is_a_bar_of_blocks_as_wide_as_their_counts():
    with translation.override("fr-ca"):
        chart = str(
            status_chart(summary(("Orientation 1", [2, 0, 6]), ("Orientation 2", [0, 1, 0])))
        )
    assert chart.startswith('<svg class="status-chart" role="img" ')
    assert 'viewBox="0 0 420 62"' in chart  # two rows of 22 and three gaps of 6
    fills = re.findall(r'<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" [^>]*fill="(#\w+)"', chart)
    # The widest bar (8 indicators) fills the 312 pixels beside the labels.
    assert fills == [
        ("104.0", "6", "78.0", "#e35d6a"),
        ("182.0", "6", "234.0", "#75b798"),
        ("104.0", "34", "39.0", "#ffcd39"),
    ]
    # Late and to watch are also hatched, for print and colour blindness; reached is not.
    assert chart.count('fill="url(#hatch-late)"') == 1
    assert chart.count('fill="url(#hatch-watch)"') == 1
    assert ">6</text>" in chart


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
