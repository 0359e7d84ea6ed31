"""The dashboard's status rule (indicators/board/status.py), as pure functions over
already-fetched data (no database)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from indicators.board.status import (
    Status,
    Thresholds,
    assess,
    progress_percent,
    rollup,
    status_for_percent,
)
from indicators.board.stories import snippet, story_of
from indicators.models import Direction, MeasureKind, MeasurementStatus

TODAY = datetime.date(2026, 11, 26)
P1 = SimpleNamespace(
    pk=1,
    name="2022-2023",
    start_date=datetime.date(2022, 4, 1),
    end_date=datetime.date(2023, 3, 31),
)
P2 = SimpleNamespace(
    pk=2,
    name="2023-2024",
    start_date=datetime.date(2023, 4, 1),
    end_date=datetime.date(2024, 3, 31),
)
OPEN = SimpleNamespace(
    pk=3,
    name="2026-2027",
    start_date=datetime.date(2026, 4, 1),
    end_date=datetime.date(2027, 3, 31),
)
PERIODS = [P1, P2, OPEN]
DEFAULT = Thresholds()


def indicator(
    kind=MeasureKind.COUNT, direction=Direction.INCREASE, baseline=None, cumulative=False
):
    return SimpleNamespace(
        kind=kind, direction=direction, baseline_value=baseline, is_cumulative=cumulative
    )


def measured(value=None, status=MeasurementStatus.RECORDED, narrative="", explanation=""):
    return SimpleNamespace(
        value=None if value is None else Decimal(value),
        status=status,
        narrative=narrative,
        explanation=explanation,
    )


def status_of(ind, measurements, targets, period=P2, thresholds=DEFAULT):
    return assess(
        indicator=ind,
        period=period,
        periods=PERIODS,
        measurements=measurements,
        targets={k: Decimal(v) for k, v in targets.items()},
        thresholds=thresholds,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("value", "target", "baseline", "expected"),
    [
        (50, 100, None, Decimal(50)),
        (60, 100, 20, Decimal(50)),  # (60 − 20) / (100 − 20)
        (120, 100, 20, Decimal(125)),
        (10, 100, 20, Decimal("-12.5")),
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target(
    value, target, baseline, expected
):
    assert progress_percent(value=value, target=target, baseline=baseline) == expected


def test_progress_lower_is_better_is_the_mirror():
    # From 100 down to 60: at 70 three quarters of the way are done.
    assert progress_percent(
        value=70, target=60, baseline=100, direction=Direction.DECREASE
    ) == Decimal(75)
    assert progress_percent(
        value=50, target=60, baseline=100, direction=Direction.DECREASE
    ) == Decimal(125)
    # Going up when lower is better is going backwards.
    assert progress_percent(
        value=110, target=60, baseline=100, direction=Direction.DECREASE
    ) == Decimal(-25)


def test_progress_lower_is_better_without_baseline_compares_with_the_target():
    assert progress_percent(value=40, target=50, direction=Direction.DECREASE) == 100
    assert progress_percent(value=100, target=50, direction=Direction.DECREASE) == 50


def test_progress_when_target_equals_baseline_is_met_or_a_plain_ratio():
    assert progress_percent(value=12, target=10, baseline=10) == 100
    assert progress_percent(value=5, target=10, baseline=10) == 50


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (Decimal(100), Status.REACHED),
        (Decimal(130), Status.REACHED),
        (Decimal("99.9"), Status.ON_TRACK),
        (Decimal(95), Status.ON_TRACK),
        (Decimal("94.9"), Status.WATCH),
        (Decimal(85), Status.WATCH),
        (Decimal("84.9"), Status.LATE),
        (Decimal(-10), Status.LATE),
    ],
)
def test_default_thresholds(percent, expected):
    assert status_for_percent(percent, DEFAULT) == expected


def test_thresholds_edited_per_plan_change_the_status():
    plan = SimpleNamespace(on_track_threshold=80, watch_threshold=50)
    thresholds = Thresholds.of_plan(plan)
    ind = indicator()
    assert status_of(ind, {2: measured(85)}, {2: 100}, thresholds=thresholds).status == (
        Status.ON_TRACK
    )
    assert status_of(ind, {2: measured(60)}, {2: 100}, thresholds=thresholds).status == (
        Status.WATCH
    )
    assert status_of(ind, {2: measured(85)}, {2: 100}).status == Status.WATCH


def test_status_compares_with_the_target_of_the_same_period():
    result = status_of(indicator(), {1: measured(10), 2: measured(96)}, {1: 10, 2: 100})
    assert result.status == Status.ON_TRACK
    assert result.value == 96
    assert result.target == 100
    assert result.percent == 96
    assert result.period is P2
    assert result.bar_width == 95


@pytest.mark.parametrize(
    ("direction", "baseline", "value", "expected"),
    [
        # Higher is better, from 0 to a target of 100.
        (Direction.INCREASE, None, "100", Status.REACHED),  # exactly at the target
        (Direction.INCREASE, None, "99.99", Status.ON_TRACK),  # just under it
        (Direction.INCREASE, None, "100.01", Status.REACHED),  # beyond it
        (Direction.INCREASE, None, "95", Status.ON_TRACK),  # exactly at "on track"
        (Direction.INCREASE, None, "94.99", Status.WATCH),  # just under "on track"
        (Direction.INCREASE, None, "85", Status.WATCH),  # exactly at "to watch"
        (Direction.INCREASE, None, "84.99", Status.LATE),  # just under "to watch"
        # Lower is better, from 200 down to a target of 100: 95 % of the way is 105.
        (Direction.DECREASE, 200, "100", Status.REACHED),  # exactly at the target
        (Direction.DECREASE, 200, "100.01", Status.ON_TRACK),  # just short of it (above)
        (Direction.DECREASE, 200, "99.99", Status.REACHED),  # beyond it (below)
        (Direction.DECREASE, 200, "105", Status.ON_TRACK),  # exactly at "on track"
        (Direction.DECREASE, 200, "105.01", Status.WATCH),  # just short of "on track"
        (Direction.DECREASE, 200, "115", Status.WATCH),  # exactly at "to watch"
        (Direction.DECREASE, 200, "115.01", Status.LATE),  # just short of "to watch"
        # Lower is better without a baseline: the target is met or a plain ratio.
        (Direction.DECREASE, None, "100", Status.REACHED),
        (Direction.DECREASE, None, "100.5", Status.ON_TRACK),  # 99,5 %
    ],
)
def test_status_at_the_boundaries_in_both_directions(direction, baseline, value, expected):
    ind = indicator(direction=direction, baseline=None if baseline is None else Decimal(baseline))
    assert status_of(ind, {2: measured(value)}, {2: 100}).status == expected


def test_decreasing_indicator_reaches_its_target_going_down():
    ind = indicator(direction=Direction.DECREASE, baseline=Decimal(100))
    assert status_of(ind, {2: measured(60)}, {2: 60}).status == Status.REACHED
    assert status_of(ind, {2: measured(64)}, {2: 60}).status == Status.WATCH  # 90 %
    assert status_of(ind, {2: measured(90)}, {2: 60}).status == Status.LATE  # 25 %


def test_no_target_for_the_period():
    assert status_of(indicator(), {2: measured(5)}, {1: 10}).status == Status.NO_TARGET


def test_missing_when_the_period_ended_without_a_value():
    result = status_of(indicator(), {1: measured(5)}, {2: 10})
    assert result.status == Status.MISSING
    assert result.target == 10


def test_missing_when_nothing_was_ever_recorded():
    assert status_of(indicator(), {}, {}, period=OPEN).status == Status.MISSING


def test_open_period_shows_the_latest_earlier_value_against_its_own_target():
    result = status_of(indicator(), {1: measured(10)}, {1: 10, 3: 50}, period=OPEN)
    assert result.status == Status.REACHED
    assert result.period is P1
    assert result.target == 10


def test_not_measured_shows_its_own_word_with_the_explanation():
    result = status_of(
        indicator(),
        {2: measured(status=MeasurementStatus.NOT_MEASURED, explanation="Sondage reporté.")},
        {2: 10},
    )
    assert result.status == Status.NOT_MEASURED
    assert str(result.label) == "non mesuré"
    assert story_of(result) == "Sondage reporté."


def test_qualitative_indicator_shows_a_snippet_and_no_numeric_status():
    long_text = "Les collaborations se diversifient. " * 10
    result = status_of(indicator(MeasureKind.QUALITATIVE), {2: measured(narrative=long_text)}, {})
    assert result.status == Status.QUALITATIVE
    assert str(result.label) == "qualitatif"
    assert result.percent is None
    assert story_of(result) == long_text.strip()
    assert snippet(story_of(result)).endswith("…")
    assert len(snippet(story_of(result))) == 140


def test_qualitative_without_narrative_is_missing_data():
    assert status_of(indicator(MeasureKind.QUALITATIVE), {}, {}).status == Status.MISSING


def test_cumulative_indicator_adds_up_the_periods():
    result = status_of(indicator(cumulative=True), {1: measured(40), 2: measured(50)}, {2: 100})
    assert result.value == 90
    assert result.status == Status.WATCH


def test_level_indicator_uses_its_scale():
    ind = indicator(MeasureKind.LEVEL, baseline=Decimal(1))
    assert status_of(ind, {2: measured(3)}, {2: 5}).status == Status.LATE  # 50 %
    assert status_of(ind, {2: measured(5)}, {2: 5}).status == Status.REACHED


def test_status_words_are_french():
    assert [str(s.label) for s in Status] == [
        "atteinte",
        "en bonne voie",
        "à surveiller",
        "en retard",
        "sans cible",
        "donnée manquante",
        "non mesuré",
        "qualitatif",
    ]


def test_rollup_counts_each_status_laggards_first_without_average():
    counts = rollup([Status.REACHED, Status.LATE, Status.REACHED, Status.MISSING])
    assert [(status, count) for status, _, count in counts] == [
        (Status.LATE, 1),
        (Status.REACHED, 2),
        (Status.MISSING, 1),
    ]
