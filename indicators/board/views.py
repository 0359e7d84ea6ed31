"""The board's pages: the dashboard, an orientation, a result, the report (page, XLSX,
print header) and « depuis la dernière rencontre ». The plan's data is read through data.py;
the HTML pages are cached by cache.cached_board_page."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from indicators.board import cache as page_cache
from indicators.board import filters, meetings, printing, reports, snapshot, summary
from indicators.board import since as since_module
from indicators.board.data import (
    ALL,
    load_board_values,
    load_measurement_history,
    load_plan_data,
    load_plan_outline,
)
from indicators.board.forms import SinceForm
from indicators.board.status import STATUS_ORDER
from indicators.board.viewmodels import build_board, matrix_rows
from indicators.charts.indicator import build_indicator_chart
from indicators.exports.pages import export_offer, is_small, written_or_refused
from indicators.models import PreparedExportKind
from indicators.recording.forms import PeriodChoiceForm
from indicators.rules.periods import period_for_reading, period_from_query
from indicators.rules.typography import date_text
from indicators.spreadsheets.writer import xlsx_response
from plan.decorators import plan_from_url_or_current
from plan.models import Orientation, Result, StrategicPlan

# The query-string parameters each page reads (its cached copies are keyed on them alone).
PERIOD = "periode"
# A result's page of charts.
PAGE = "page"
# A result's charts per page: each is a few dozen KB (a count by category's table has a
# column per category), and a large plan's result has 80 indicators (1.9 MB in one page).
CHARTS_PER_PAGE = 10
# The « Depuis … » form's: `date` (2025-12-01) or its widget's day, month and year.
SINCE_PARAMS = ("date", "date_day", "date_month", "date_year")


def _period_to_read(request, data, today):
    """The period of the query string, else the latest with data."""
    return period_from_query(request.GET, data.periods, PERIOD) or period_for_reading(
        data.periods, data.periods_with_data(), today
    )


def _board(request, plan):
    """(PlanData, Board) of `plan` for the period asked, every value read."""
    data = load_plan_outline(plan)
    return data, _board_of(request, data, complete=ALL)


def _board_of(request, data, *, complete, breakdowns=()):
    """The Board of `data` (a data.load_plan_outline) for the period asked, its values read:
    every one of the `complete` indicators (ALL or pks: those whose rows are drawn), only
    what the others' statuses need, and the `breakdowns` of the indicators charted."""
    today = timezone.localdate()
    period = _period_to_read(request, data, today)
    load_board_values(data, period, today=today, complete=complete, breakdowns=breakdowns)
    return build_board(data, period, today)


def _pks(indicators):
    return {indicator.pk for indicator in indicators}


def _period_form(board, keep=None):
    return PeriodChoiceForm(
        periods=board.periods, choices=[(PERIOD, _("Period shown"), board.period)], keep=keep
    )


@require_safe
@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
@plan_from_url_or_current
@page_cache.cached_board_page(reads=(PERIOD, filters.PARAM))
def dashboard(request, plan):
    """The board's dashboard: where the current plan stands, orientation by orientation."""
    statuses = filters.parse(request.GET)
    data = load_plan_outline(plan)
    folded = not statuses and len(data.indicators) > FOLD_ABOVE
    # Folded, no row is drawn: only the statuses are read (the summary's included).
    board = _board_of(request, data, complete=() if folded else ALL)
    shown = filters.filter_orientations(board, statuses)
    period_form = _period_form(board, keep={filters.PARAM: filters.as_query(statuses)})
    return render(
        request,
        "board/dashboard.html",
        {
            "plan": plan,
            "other_plans": plan.other_plans(request.user),
            "board": board,
            "period_form": period_form,
            "matrix_rows": matrix_rows(board.strategies, board.matrix_results),
            "statuses": STATUS_ORDER,
            **_summary_context(data, board),
            "orientations": shown,
            "status_filter": statuses,
            "status_filter_query": filters.as_query(statuses),
            "attention_query": filters.as_query(filters.ATTENTION),
            "shown_count": filters.count(shown),
            "total_count": len(data.indicators),
            "folded": folded,
            "attention_link": (
                f"?{PERIOD}={board.period.pk}&{filters.PARAM}="
                f"{filters.as_query(summary.ATTENTION_STATUSES)}"
                if board.period
                else ""
            ),
        },
    )


# Above this many indicators (unless a status filter is active) orientations start folded and
# show their results' counts, not their indicator rows: the orientation's page has those.
FOLD_ABOVE = 60


def _summary_context(data, board, *, produced_at=None):
    """The summary of `board` compared with the last meeting; with `produced_at`, the whole
    report's data (what a meeting pack would freeze now)."""
    today = timezone.localdate()
    before, words = meetings.baseline_for_summary(data, board.period, today)
    board_summary = summary.build_summary(board, before=before, compared_with=words)
    if produced_at is None:
        return {"content": snapshot.summary_for_display(board, board_summary)}
    content = snapshot.board_content(board, board_summary, produced_at=produced_at)
    return {"content": snapshot.for_display(content)}


def _indicator_charts(data, board_result, shown):
    """The larger chart of the indicators of a result whose pk is in `shown`, from the
    already-fetched data."""
    charts = []
    for row in board_result.indicators:
        indicator = row.indicator
        if indicator.pk not in shown:
            continue
        categories = data.categories_by_dimension.get(indicator.dimension_id, [])
        charts.append(
            (
                row,
                build_indicator_chart(
                    indicator,
                    periods=data.periods,
                    measurements=data.measurements.get(indicator.pk, {}),
                    targets=data.targets.get(indicator.pk, {}),
                    levels=row.levels,
                    categories=categories,
                    breakdowns=data.breakdowns,
                    earlier=data.earlier.get(indicator.pk, []),
                ),
            )
        )
    return charts


@require_safe
@login_required
@permission_required("plan.view_orientation", raise_exception=True)
@page_cache.cached_board_page(reads=(PERIOD,), plan_of=page_cache.plan_of_orientation)
def orientation_detail(request, pk):
    """One orientation in depth: results, indicators, strategies with their dated states."""
    orientation = get_object_or_404(
        Orientation.objects.select_related("plan").filter(
            plan__in=StrategicPlan.objects.readable_by(request.user)
        ),
        pk=pk,
    )
    data = load_plan_outline(orientation.plan)
    results = data.results_by_orientation.get(orientation.pk, [])
    shown = {i.pk for r in results for i in data.indicators_by_result.get(r.pk, [])}
    board = _board_of(request, data, complete=shown)
    current = next(o for o in board.orientations if o.orientation.pk == orientation.pk)
    return render(
        request,
        "board/orientation_detail.html",
        {
            "orientation": orientation,
            "board": board,
            "period_form": _period_form(board),
            "current": current,
            "matrix_rows": matrix_rows(current.strategies, board.matrix_results),
        },
    )


@require_safe
@login_required
@permission_required("plan.view_result", raise_exception=True)
@page_cache.cached_board_page(reads=(PERIOD, PAGE), plan_of=page_cache.plan_of_result)
def result_detail(request, pk):
    """One expected result in depth: its indicators' charts and the strategies serving it."""
    result = get_object_or_404(
        Result.objects.select_related("orientation__plan").filter(
            orientation__plan__in=StrategicPlan.objects.readable_by(request.user)
        ),
        pk=pk,
    )
    data = load_plan_outline(result.orientation.plan)
    indicators = data.indicators_by_result.get(result.pk, [])
    # Every row of the result is drawn; the larger charts, one page of them.
    page = Paginator(indicators, CHARTS_PER_PAGE).get_page(request.GET.get(PAGE))
    board = _board_of(request, data, complete=_pks(indicators), breakdowns=_pks(page))
    current = next(r for o in board.orientations for r in o.results if r.result.pk == result.pk)
    serving = [s for s in board.strategies if any(r.pk == result.pk for r in s.results)]
    return render(
        request,
        "board/result_detail.html",
        {
            "result": result,
            "board": board,
            "period_form": _period_form(board),
            "current": current,
            "charts": _indicator_charts(data, current, shown=_pks(page)),
            "charts_page": page,
            "serving": serving,
        },
    )


def _since_form(request, plan, default, today):
    """The « Depuis … » form and the day it asks for (`default` when none or invalid)."""
    asked = any(name in request.GET for name in SINCE_PARAMS)
    form = SinceForm(
        request.GET if asked else None,
        initial={"date": default},
        first_year=min(plan.start_year, default.year),
        today=today,
    )
    return form, form.cleaned_data["date"] if form.is_bound and form.is_valid() else default


@require_safe
@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
@plan_from_url_or_current
@page_cache.cached_board_page(reads=SINCE_PARAMS)
def since_last_meeting(request, plan):
    """What changed since the last meeting (by default) or a chosen day, compared with today:
    new values, statuses, corrections."""
    today = timezone.localdate()
    data = load_plan_data(plan, with_record_dates=True)
    held = meetings.meetings_held_before(plan, today)
    form, since = _since_form(request, plan, since_module.default_day(data, held, today), today)
    changes = since_module.changes_since_date(
        data, load_measurement_history(plan), since=since, today=today
    )
    return render(
        request,
        "board/since.html",
        {
            "plan": plan,
            "since": since,
            "today": today,
            "form": form,
            "meetings": held,
            "meeting": next((m for m in held if m.date == since), None),
            "changes": changes,
            "levels": data.levels_by_indicator,
        },
    )


@require_safe
@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
@plan_from_url_or_current
@page_cache.cached_board_page(reads=(PERIOD,))
def board_report(request, plan):
    """The printable board report: French numbers and dates, the date it was produced."""
    data, board = _board(request, plan)
    produced_at = timezone.localtime()
    return render(
        request,
        "board/report.html",
        {
            "plan": plan,
            "board": board,
            "period_form": _period_form(board),
            "produced_at": produced_at,
            **_summary_context(data, board, produced_at=produced_at),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
@plan_from_url_or_current
def board_report_xlsx(request, plan):
    """The board report as a spreadsheet, with French headers: written at once when small,
    else prepared by the task worker (indicators/exports)."""
    rows_total = reports.report_row_count(plan)
    if request.method == "POST" or not is_small(rows_total):
        return export_offer(
            request,
            kind=PreparedExportKind.BOARD_REPORT,
            params={"plan": plan.pk, "period": request.GET.get(PERIOD, "")},
            rows_total=rows_total,
            back_url=reverse("board:board_report"),
        )
    data, board = _board(request, plan)
    return written_or_refused(
        request,
        lambda: xlsx_response(
            filename=reports.report_file_name(board),
            sheets=reports.board_sheets(board, produced_at=timezone.localtime()),
        ),
        back_url=reverse("board:board_report"),
    )


@require_safe
@login_required
@permission_required("plan.view_strategicplan", raise_exception=True)
@plan_from_url_or_current
def board_report_print_css(request, plan):
    """The printed report's running header (plan, period, date) and « page X de Y »."""
    today = timezone.localdate()
    # The report's link names its period; the stylesheet only words it.
    wanted = request.GET.get(PERIOD, "")
    period = plan.periods.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    return printing.print_stylesheet(
        left=" · ".join(filter(None, [plan.title, period.name if period else ""])),
        right=_("Produced on %(date)s") % {"date": date_text(today)},
    )
