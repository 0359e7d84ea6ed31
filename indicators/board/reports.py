"""The board report as an XLSX workbook: one sheet of indicators, one of strategies.

Results and strategies are written whole: the plan's sentence and its lettered items, one per
line, in one wrapped cell.
"""

from dataclasses import replace

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from indicators.board.data import load_plan_data
from indicators.board.viewmodels import build_board
from indicators.models import Indicator
from indicators.rules.formatting import round_percent
from indicators.rules.periods import period_for_reading, period_from_query
from indicators.rules.typography import date_text
from indicators.spreadsheets.writer import Column, Sheet, xlsx_write
from plan.models import StrategicPlan, Strategy

NUMBER_FORMAT = "# ##0.##"
PERCENT_FORMAT = "0.0"


def whole_text(text, items):
    """The plan's words in one cell: the sentence, then « a) … » one item per line."""
    return "\n".join([text, *(f"{item.letter}) {item.text}" for item in items)])


def _indicator_rows(board):
    for orientation in board.orientations:
        for result in orientation.results:
            for item in result.indicators:
                assessment = item.assessment
                yield {
                    "orientation": str(orientation.orientation),
                    "result": whole_text(
                        f"{result.result} – {result.result.statement}", result.items
                    ),
                    "indicator": item.indicator.wording,
                    "unit": item.indicator.unit,
                    "period": assessment.period.name if assessment.period else "",
                    "value": assessment.value,
                    "target": assessment.target,
                    # A level is on an ordinal scale: never a percentage.
                    "percent": round_percent(assessment.percent) if item.progress_text else None,
                    "status": str(assessment.label),
                    "story": item.story,
                    "value_target": " · ".join(
                        filter(None, [item.value_phrase, item.target_phrase])
                    ),
                    "direction": f"{item.direction_arrow} {item.direction_words}",
                    "baseline": item.baseline_text,
                }


def _strategy_rows(board):
    for orientation in board.orientations:
        for strategy in orientation.strategies:
            latest = strategy.latest
            yield {
                "orientation": str(orientation.orientation),
                "strategy": whole_text(
                    f"{strategy.strategy.orientation.number}.{strategy.strategy.order} "
                    f"{strategy.strategy.text}",
                    strategy.items,
                ),
                "results": ", ".join(str(r.number) for r in strategy.results),
                "state": str(strategy.state_label),
                "period": latest.period.name if latest else "",
                "note": latest.note if latest else "",
            }


def board_sheets(board, *, produced_at):
    """The report's sheets, for indicators.spreadsheets."""
    period = board.period.name if board.period else gettext("no period")
    indicators = Sheet(
        title=gettext("Indicators"),
        preamble=[
            board.plan.title,
            gettext("Period: %(period)s") % {"period": period},
            gettext("Produced on %(date)s") % {"date": date_text(produced_at, "DATETIME_FORMAT")},
        ],
        columns=[
            Column("orientation", gettext("Orientation"), 16),
            Column("result", gettext("Result"), 48),
            Column("indicator", gettext("Indicator"), 60),
            Column("unit", gettext("Unit"), 14),
            Column("period", gettext("Period of the value"), 14),
            Column("value", gettext("Value"), 12, NUMBER_FORMAT),
            Column("target", gettext("Target"), 12, NUMBER_FORMAT),
            Column("percent", gettext("Progress (%)"), 14, PERCENT_FORMAT),
            Column("status", gettext("Status"), 16),
            Column("story", gettext("Narrative or explanation"), 60),
            Column("value_target", gettext("Value · target"), 40),
            Column("direction", gettext("Direction"), 20),
            Column("baseline", gettext("Baseline"), 24),
        ],
        rows=_indicator_rows(board),
    )
    strategies = Sheet(
        title=gettext("Strategies"),
        columns=[
            Column("orientation", gettext("Orientation"), 16),
            Column("strategy", gettext("Strategy"), 60),
            Column("results", gettext("Results served"), 14),
            Column("state", gettext("State"), 16),
            Column("period", gettext("Period of the state"), 14),
            Column("note", gettext("Note"), 50),
        ],
        rows=_strategy_rows(board),
    )
    return [indicators, strategies]


# --- Prepared by the task worker (indicators/exports) -------------------------------------


def report_row_count(plan):
    """The rows of the report's two sheets: one per indicator, one per strategy."""
    return (
        Indicator.objects.filter(result__orientation__plan=plan).count()
        + Strategy.objects.filter(orientation__plan=plan).count()
    )


def report_file_name(board):
    period = slugify(board.period.name) if board.period else ""
    return f"rapport-{period}.xlsx"


def build_report(*, params, target, progress):
    """The report of `params["plan"]` for the period `params["period"]` (a period id, or the
    latest with data, as the page reads it), written to `target` (registry of exports)."""
    plan = StrategicPlan.objects.get(pk=params["plan"])
    today = timezone.localdate()
    data = load_plan_data(plan)
    period = period_from_query(params, data.periods, "period") or period_for_reading(
        data.periods, data.periods_with_data(), today
    )
    board = build_board(data, period, today)
    sheets = board_sheets(board, produced_at=timezone.localtime())
    total = report_row_count(plan)
    done = 0

    def rows(sheet):
        nonlocal done
        for row in sheet.rows:
            done += 1
            progress(done, total)
            yield row

    xlsx_write([replace(sheet, rows=rows(sheet)) for sheet in sheets], target)
    progress(done, max(done, total), force=True)
    return report_file_name(board)
