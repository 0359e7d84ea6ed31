"""Recording a period's values: the entry grid's rows, its pages and filters, the save of a row.

The grid (`/saisie/<period>/`) is one table row per indicator. Each row is a MeasurementForm
(its own prefix) whose inputs the grid's templates write by hand from `GridRow.cells()`;
each row is saved through the form (services.measurement_record) in its own transaction, as
the indicator page does (same versions, conflicts, reasons, plausibility). A large plan is
shown one orientation at a time, in pages whose forms stay under the POST field limit.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    Category,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    ReportingPeriod,
    ScaleLevel,
    Target,
)
from indicators.recording.forms import MeasurementForm
from indicators.recording.selectors import plan_periods
from indicators.rules.periods import previous_period
from plan.models import Orientation
from plan.versions import bumps_gathered

# Above this many indicators, the grid shows one orientation at a time (the others folded).
LARGE_PLAN = 60
# The fields a page's form may post: under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1 000,
# beyond which a POST answers 400 and saves nothing), with room for the csrf token.
FIELD_BUDGET = min(900, (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 10**6) - 20)
# The fields a row posts besides its category inputs: version, value or level, « not
# measured » (when ticked), its explanation, the story, the reason, the confirmation.
ROW_FIELDS = 7

# A row's state after a save, from the codes of its errors.
STATE_SAVED = "saved"
STATE_ERROR = "error"
STATE_CONFLICT = "conflict"
STATE_REASON = "reason"
STATE_CONFIRM = "confirm"
STATE_UNCHANGED = "unchanged"
FAILED = (STATE_ERROR, STATE_CONFLICT, STATE_REASON, STATE_CONFIRM)


class GridFilterForm(forms.Form):
    """The grid's filters (a GET form): one orientation, one responsible person, missing only."""

    orientation = forms.TypedChoiceField(
        label=_("Orientation"), required=False, coerce=int, empty_value=None
    )
    responsable = forms.TypedChoiceField(
        label=_("Responsible"), required=False, coerce=int, empty_value=None
    )
    manquants = forms.BooleanField(label=_("Missing values only"), required=False)

    def __init__(self, *args, plan, orientations, large=False, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        # A large plan is shown one orientation at a time: no « all ».
        self.fields["orientation"].choices = ([] if large else everyone) + [
            (orientation.number, str(orientation)) for orientation in orientations
        ]
        people = (
            get_user_model()
            .objects.filter(indicators_responsible__result__orientation__plan=plan)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["responsable"].choices = everyone + [
            (person.pk, person.get_full_name() or person.get_username()) for person in people
        ]

    def choice(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


@dataclass
class GridRow:
    """One indicator's line in the grid."""

    indicator: Indicator
    measurement: Measurement | None
    previous: Measurement | None
    target: Target | None
    mine: bool
    form: Any = None
    view: Any = None  # grid_cells.RowView, once the form is built
    state: str = ""  # "" | STATE_*
    notes: list[str] = field(default_factory=list)

    @property
    def prefix(self):
        return f"i{self.indicator.pk}"

    @property
    def header_id(self):
        return f"h-{self.indicator.pk}"

    @property
    def failed(self):
        return self.state in FAILED

    @property
    def status_state(self):
        """recorded | not_measured | missing: what is saved now."""
        if self.measurement is None:
            return "missing"
        return "not_measured" if self.measurement.is_not_measured else "recorded"

    def previous_value(self):
        """The previous period's recorded value (services.measurement_previous_value), read
        with the page's rows."""
        recorded = self.previous is not None and self.previous.status == MeasurementStatus.RECORDED
        return self.previous.value if recorded else None

    def field_count(self):
        """The fields the row posts (for the pages' budget), without building its form."""
        indicator = self.indicator
        categories = len(indicator.dimension.categories.all()) if indicator.dimension_id else 0
        return ROW_FIELDS + (categories if indicator.has_categories else 0)

    def shown_fields(self):
        """The form's fields the row shows (those whose change is a change of the row)."""
        names = [name for name in self.form.fields if name in ("value", "level")]
        names += [name for name in self.form.fields if name.startswith("cat_")]
        names += ["status", "explanation", "narrative"]
        if self.form.needs_confirmation():
            names.append("confirmed")
        return names

    def changed(self):
        """Whether the person typed anything in the row's inputs."""
        return any(name in self.form.changed_data for name in self.shown_fields())

    # --- What the templates ask ------------------------------------------------------------

    def not_measured(self):
        return self.form["status"].value() == MeasurementStatus.NOT_MEASURED

    def needs_reason(self):
        """Whether the reason is shown without the script: after a refusal that needs it."""
        return "reason" in self.form.errors

    def value_template(self):
        """The small template of the kind's inputs (templates ask the kind's properties)."""
        indicator = self.indicator
        if indicator.is_qualitative:
            return "indicators/grid/_value_narrative.html"
        if indicator.has_levels:
            return "indicators/grid/_value_level.html"
        if indicator.has_categories:
            return "indicators/grid/_value_categories.html"
        return "indicators/grid/_value_number.html"


class PagePeriodField(forms.ModelChoiceField):
    """A row's period: the page's own (`page_period`, read once per request) is not read
    again for each row; any other posted period is read and checked as usual."""

    page_period = None

    def to_python(self, value):
        if self.page_period is not None and str(value) == str(self.page_period.pk):
            return self.page_period
        return super().to_python(value)


class GridRowForm(MeasurementForm):
    """A row's MeasurementForm without the inputs the grid leaves to the indicator page
    (evidence, comment: kept as saved), so that a page of rows builds fewer fields."""

    evidence_files = None
    evidence_links = None
    comment = None
    period = PagePeriodField(
        label=MeasurementForm.base_fields["period"].label,
        queryset=MeasurementForm.base_fields["period"].queryset,
        widget=forms.HiddenInput,
        error_messages=MeasurementForm.base_fields["period"].error_messages,
    )

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, period=period, **kwargs)
        self.fields["period"].page_period = period


def row_form(row, period, data=None):
    """The row's GridRowForm, bound to `data` (a POST) when given."""
    return GridRowForm(
        data,
        indicator=row.indicator,
        measurement=row.measurement,
        period=period,
        prefix=row.prefix,
        # The comment stays on the indicator page; the grid keeps its saved value.
        keep_saved=("comment",),
        previous=row.previous_value(),
    )


def grid_post(data, rows, period):
    """A copy of the POST with what the grid does not post per row: the period (the page's),
    and the status (« not measured » is a checkbox: unticked means recorded)."""
    data = data.copy()
    for row in rows:
        data[f"{row.prefix}-period"] = str(period.pk)
        data.setdefault(f"{row.prefix}-status", MeasurementStatus.RECORDED)
    return data


def _indicators(plan, *, orientation, responsible, indicator_id):
    """The plan's indicators shown, with their result, orientation, dimension, the levels
    and categories their kind asks for. The related rows are read without their models'
    default ordering, which joins the indicator, result and orientation again."""
    indicators = (
        Indicator.objects.of_plan(plan)
        .select_related("result__orientation", "dimension")
        .prefetch_related(
            Prefetch("levels", queryset=ScaleLevel.objects.order_by("value")),
            Prefetch("dimension__categories", queryset=Category.objects.order_by("order", "name")),
        )
    )
    if orientation is not None:
        indicators = indicators.filter(result__orientation__number=orientation)
    if responsible is not None:
        indicators = indicators.filter(responsible_id=responsible)
    if indicator_id is not None:
        indicators = indicators.filter(pk=indicator_id)
    return list(indicators)


def _by_indicator(queryset, period, indicators):
    """{indicator id: row} of `queryset` for `period` (none without a period), unordered."""
    if period is None:
        return {}
    rows = queryset.filter(period=period, indicator__in=indicators).order_by()
    return {row.indicator_id: row for row in rows}


def grid_rows(*, plan, period, user, orientation=None, responsible=None, indicator_id=None):
    """The grid's rows for `period`, mine first (forms not built yet), in eight queries:
    indicators, their levels, their categories, the period's values and their breakdowns,
    the plan's periods, the previous period's values, the targets."""
    indicators = _indicators(
        plan, orientation=orientation, responsible=responsible, indicator_id=indicator_id
    )
    measurements = _by_indicator(
        Measurement.objects.select_related("updated_by").prefetch_related(
            Prefetch("breakdowns", queryset=MeasurementBreakdown.objects.order_by())
        ),
        period,
        indicators,
    )
    before = previous_period(list(plan_periods(plan)), period)
    previous = _by_indicator(Measurement.objects.all(), before, indicators)
    targets = _by_indicator(Target.objects.all(), period, indicators)
    rows = [
        GridRow(
            indicator=indicator,
            measurement=measurements.get(indicator.pk),
            previous=previous.get(indicator.pk),
            target=targets.get(indicator.pk),
            mine=indicator.responsible_id == user.pk,
        )
        for indicator in indicators
    ]
    rows.sort(key=lambda r: (not r.mine, r.indicator.result.number, r.indicator.order))
    return rows


def grid_pages(rows, budget=FIELD_BUDGET):
    """The rows cut into pages whose forms post at most `budget` fields (one row at least)."""
    pages, page, used = [], [], 0
    for row in rows:
        count = row.field_count()
        if page and used + count > budget:
            pages.append(page)
            page, used = [], 0
        page.append(row)
        used += count
    if page or not pages:
        pages.append(page)
    return pages


def row_groups(rows):
    """[(result, [rows])], in the rows' order, a group each time the result changes."""
    groups = []
    for row in rows:
        result = row.indicator.result
        if not groups or groups[-1][0].pk != result.pk:
            groups.append((result, []))
        groups[-1][1].append(row)
    return groups


def period_progress(*, plan, period):
    """(values saved, indicators) of the whole plan for `period`: « 14 sur 19 saisis »."""
    indicators = Indicator.objects.of_plan(plan)
    saved = Measurement.objects.filter(period=period, indicator__in=indicators).count()
    return saved, indicators.count()


def plan_orientations(plan):
    return list(Orientation.objects.filter(plan=plan).order_by("number"))


def row_state(row):
    """The state of a refused row, from its errors: conflict, reason, confirmation, error."""
    form = row.form
    codes = {error.code for errors in form.errors.as_data().values() for error in errors}
    if form.non_field_errors() and not codes - {None}:
        return STATE_CONFLICT
    fields = set(form.errors) - {"__all__"}
    if fields == {"reason"}:
        return STATE_REASON
    if "implausible" in codes and fields <= {"value", "level"}:
        return STATE_CONFIRM
    return STATE_ERROR


def _row_write(*, row, period, user, data):
    """Validate and save one row from `data` in its own transaction (the form asks
    services.measurement_record); set row.form and row.state. Errors and conflicts stay on
    the row's form, with what the person typed."""
    form = row.form = row_form(row, period, data)
    if not row.changed():
        row.state = STATE_UNCHANGED
        return
    measurement = form.save(user=user) if form.is_valid() else None
    row.state = STATE_SAVED if measurement is not None else row_state(row)


def _rows_refresh(rows, period):
    """Read the saved rows again (two queries for them all); their forms are built again
    when they are shown (grid_views._prepare)."""
    if not rows:
        return
    saved = (
        Measurement.objects.filter(indicator__in=[row.indicator for row in rows], period=period)
        .select_related("updated_by")
        .prefetch_related("breakdowns")
        .order_by()  # found by indicator: no joins for the model's ordering
    )
    by_indicator = {measurement.indicator_id: measurement for measurement in saved}
    for row in rows:
        row.measurement = by_indicator.get(row.indicator.pk)
        row.form = None


def row_save(*, row, period, user, data):
    """Validate and save one row from `data`; set row.form and row.state (see rows_save)."""
    return rows_save(rows=[row], period=period, user=user, data=data)[0]


def rows_save(*, rows, period, user, data):
    """Save every changed row of `rows` from `data`, each in its own transaction under the
    write guard; then read the saved ones again, together. The plan's data version is
    bumped once for the page, not once per row (one board warm)."""
    with bumps_gathered():
        for row in rows:
            _row_write(row=row, period=period, user=user, data=data)
    _rows_refresh([row for row in rows if row.state == STATE_SAVED], period)
    return rows


def period_of_plan(plan, pk):
    """The plan's period `pk`, or None."""
    return ReportingPeriod.objects.filter(plan=plan, pk=pk).select_related("plan").first()
