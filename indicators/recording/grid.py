"""Recording a period's values: the entry grid's rows, its filters and the save of a row.

The grid (`/saisie/<period>/`) shows one MeasurementForm per indicator, each with its own
prefix, and saves each row through the form (services.measurement_record) in its own
transaction, as the indicator page does (same versions, conflicts, reasons, plausibility).
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, Measurement, MeasurementStatus, ReportingPeriod, Target
from indicators.recording.forms import MeasurementForm
from indicators.recording.selectors import plan_periods
from indicators.rules.periods import previous_period
from plan.models import Orientation

# The fields a row shows besides the kind's value fields (hidden: period, version, status).
ROW_TEXT_FIELDS = ("narrative", "reason", "confirmed")


class GridFilterForm(forms.Form):
    """The grid's filters (a GET form): one orientation, one responsible person."""

    orientation = forms.TypedChoiceField(
        label=_("Orientation"), required=False, coerce=int, empty_value=None
    )
    responsable = forms.TypedChoiceField(
        label=_("Responsible"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["orientation"].choices = everyone + [
            (orientation.number, str(orientation))
            for orientation in Orientation.objects.filter(plan=plan).order_by("number")
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
    state: str = ""  # "" | "saved" | "error" | "unchanged"
    notes: list[str] = field(default_factory=list)

    @property
    def prefix(self):
        return f"i{self.indicator.pk}"

    def shown_fields(self):
        """The inputs of the row, in tab order."""
        names = [name for name in self.form.fields if name in ("value", "level")]
        names += [name for name in self.form.fields if name.startswith("cat_")]
        if self.indicator.is_qualitative:
            names.append("narrative")
        if self.form.existing is not None or self.measurement is not None:
            names.append("reason")
        if self.form.needs_confirmation():
            names.append("confirmed")
        return names

    def changed(self):
        """Whether the person typed anything in the row's inputs."""
        return any(name in self.form.changed_data for name in self.shown_fields())


def row_form(row, period, data=None):
    """The row's MeasurementForm, bound to `data` (a POST) when given."""
    # The texts the grid does not show keep their saved values.
    hidden_texts = ("comment",) if row.indicator.is_qualitative else ("comment", "narrative")
    return MeasurementForm(
        data,
        indicator=row.indicator,
        measurement=row.measurement,
        period=period,
        prefix=row.prefix,
        keep_saved=hidden_texts,
        # The grid records values; "not measured" stays on the indicator page.
        initial={"status": MeasurementStatus.RECORDED},
    )


def grid_rows(*, plan, period, user, orientation=None, responsible=None, indicator_id=None):
    """The grid's rows for `period`, mine first, in five queries (forms not built yet)."""
    indicators = (
        Indicator.objects.of_plan(plan)
        .select_related("result__orientation", "responsible", "dimension")
        .prefetch_related("levels", "dimension__categories")
    )
    if orientation is not None:
        indicators = indicators.filter(result__orientation__number=orientation)
    if responsible is not None:
        indicators = indicators.filter(responsible_id=responsible)
    if indicator_id is not None:
        indicators = indicators.filter(pk=indicator_id)
    indicators = list(indicators)
    measurements = {
        m.indicator_id: m
        for m in Measurement.objects.filter(period=period, indicator__in=indicators)
        .select_related("updated_by")
        .prefetch_related("breakdowns")
    }
    before = previous_period(list(plan_periods(plan)), period)
    previous = (
        {
            m.indicator_id: m
            for m in Measurement.objects.filter(period=before, indicator__in=indicators)
        }
        if before
        else {}
    )
    targets = {
        t.indicator_id: t for t in Target.objects.filter(period=period, indicator__in=indicators)
    }
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


def row_save(*, row, period, user, data):
    """Validate and save one row from `data`; set row.form and row.state.

    Each row is written by the form (services.measurement_record) in its own transaction;
    errors and conflicts stay on the row's form, with what the person typed.
    """
    form = row.form = row_form(row, period, data)
    if not row.changed():
        row.state = "unchanged"
        return row
    measurement = form.save(user=user) if form.is_valid() else None
    if measurement is None:
        row.state = "error"
        return row
    row.measurement = Measurement.objects.prefetch_related("breakdowns").get(pk=measurement.pk)
    row.form = row_form(row, period)
    row.state = "saved"
    return row


def period_of_plan(plan, pk):
    """The plan's period `pk`, or None."""
    return ReportingPeriod.objects.filter(plan=plan, pk=pk).select_related("plan").first()
