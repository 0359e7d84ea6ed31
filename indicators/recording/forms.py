"""The form that records or corrects the value of one indicator for one period."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    STRATEGY_STATE_LABELS,
    MeasurementStatus,
    ReportingPeriod,
    StrategyState,
)
from indicators.recording.conflicts import keep_typed_measurement
from indicators.recording.errors import add_service_errors
from indicators.recording.guard import WriteConflict
from indicators.recording.services import UNREAD, measurement_check, measurement_record
from indicators.rules.kinds import kind_of
from indicators.rules.numbers import NumberField
from indicators.rules.text_limits import (
    COMMENT_MAX_CHARS,
    EXPLANATION_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    NOTE_MAX_CHARS,
    REASON_MAX_CHARS,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _text(label, limit, rows, **kwargs):
    """A free text; its length limit is the service's rule, shown here as `maxlength`."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        **kwargs,
    )


def _about_typed_parts(error: ValidationError) -> ValidationError:
    """The errors left once a typed number could not be read: those about the value as a
    whole (its total, "at least one category", plausibility) judged partial numbers."""
    kept = {}
    for key, errors in error.error_dict.items():
        if key == "breakdown":
            errors = [item for item in errors if "category_id" in (item.params or {})]
        if key != "value" and errors:
            kept[key] = errors
    return ValidationError(kept)


class MeasurementForm(forms.Form):
    """Fields depend on the indicator's kind.

    POST names: period, version, status (recorded | not_measured), value (count, percentage,
    amount), level (level kinds), cat_<category id> (count by category), narrative,
    explanation, comment, reason, evidence_files (several), evidence_links (one URL a line).

    The form reads what was typed (numbers, files, links); services.measurement_check
    decides, and its errors are shown on the fields (errors.add_service_errors).
    """

    period = forms.ModelChoiceField(
        label=_("Period"),
        queryset=ReportingPeriod.objects.select_related("plan"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a period."),
            "invalid_choice": _("This period does not exist."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (MeasurementStatus.RECORDED, _("A value was measured")),
            (MeasurementStatus.NOT_MEASURED, _("Not measured / not applicable")),
        ],
        initial=MeasurementStatus.RECORDED,
        widget=forms.RadioSelect,
    )
    narrative = _text(_("Narrative"), NARRATIVE_MAX_CHARS, 3)
    explanation = _text(_("Explanation (required when not measured)"), EXPLANATION_MAX_CHARS, 2)
    comment = _text(_("Comment"), COMMENT_MAX_CHARS, 2)
    evidence_files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_(
            "PDF, PNG or JPEG images, XLSX, DOCX, ODT, ODS, CSV or TXT; at most %(size)s each."
        )
        % {"size": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
    )
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One address (https://…) per line."),
    )
    reason = _text(
        _("Reason for the change"),
        REASON_MAX_CHARS,
        2,
        help_text=format_lazy(
            _(
                "Required when you correct a value that was already recorded; at most "
                "{limit} characters."
            ),
            limit=REASON_MAX_CHARS,
        ),
    )

    # Shown once the service found the value implausible (see services.measurement_check).
    confirmed = forms.BooleanField(label=_("I confirm this value"), required=False)

    def __init__(
        self,
        *args,
        indicator,
        measurement=None,
        period=None,
        keep_saved=(),
        previous=UNREAD,
        **kwargs,
    ):
        """`measurement`: the saved value of `period` (None: none yet), as the page read it.

        `keep_saved`: texts the page does not show (the grid: comment…), kept as saved.
        `previous`: the previous period's value, if the page read it (the grid does).
        """
        self.indicator = indicator
        self.existing = measurement
        self.previous = previous
        self.period = period
        self.keep_saved = keep_saved
        self.change = None
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("period", period.pk if period else None)
        initial.setdefault("version", measurement.version if measurement else 0)
        if measurement is not None:
            initial.setdefault("status", measurement.status)
            initial.setdefault("narrative", measurement.narrative)
            initial.setdefault("explanation", measurement.explanation)
            initial.setdefault("comment", measurement.comment)
        super().__init__(*args, **kwargs)
        self.kind = kind_of(indicator)
        self.kind.add_form_fields(self, indicator=indicator, measurement=measurement)

    # --- Helpers for the template ----------------------------------------------------------

    def needs_confirmation(self):
        """Whether the value was found implausible: the template then shows `confirmed`."""
        return self.is_bound and (
            bool(self.data.get(self.add_prefix("confirmed")))
            or any(
                error.code == "implausible"
                for errors in self.errors.as_data().values()
                for error in errors
            )
        )

    def breakdown_fields(self):
        return [self[name] for name in self.fields if name.startswith("cat_")]

    def value_fields(self):
        return [self[name] for name in ("value", "level") if name in self.fields]

    def derived_total(self):
        """The total of the breakdown, computed on the server from what was typed."""
        total = 0
        for field in self.breakdown_fields():
            raw = field.value()
            if raw in (None, ""):
                continue
            try:
                total += NumberField().clean(raw)
            except ValidationError:
                return None
        return total

    # --- Reading what was typed, asking the service ----------------------------------------

    def clean_evidence_links(self):
        lines = (line.strip() for line in self.cleaned_data["evidence_links"].splitlines())
        return [line for line in lines if line]

    def breakdown(self):
        return {
            int(name.removeprefix("cat_")): number
            for name, number in self.cleaned_data.items()
            if name.startswith("cat_") and number is not None
        }

    def _typed(self, cleaned):
        """measurement_check's arguments from what was read."""
        period = cleaned["period"]
        # The page read the saved value of its period; another period's is read by the check.
        known = self.period is not None and period.pk == self.period.pk
        existing = self.existing if known else UNREAD
        typed = {
            "indicator": self.indicator,
            "period": period,
            "status": cleaned["status"],
            "value": self.kind.form_value(cleaned),
            "breakdown": self.breakdown(),
            "version": cleaned.get("version") or 0,
            "confirmed": bool(cleaned.get("confirmed")),
            "evidence_files": cleaned.get("evidence_files") or [],
            "evidence_links": cleaned.get("evidence_links") or [],
            "existing": existing,
            "previous": self.previous if known else UNREAD,
        }
        for name in ("narrative", "explanation", "comment", "reason"):
            typed[name] = cleaned.get(name, "")
        for name in self.keep_saved if existing not in (None, UNREAD) else ():
            typed[name] = getattr(existing, name)
        return typed

    def _unreadable(self):
        """Whether a typed number could not be read (its field already says so)."""
        names = [field.name for field in self.value_fields() + self.breakdown_fields()]
        return any(name in self.errors for name in names)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") is None or cleaned.get("status") is None:
            return cleaned
        unreadable = self._unreadable()
        try:
            self.change = measurement_check(**self._typed(cleaned))
        except WriteConflict as conflict:
            keep_typed_measurement(self, conflict.current)
        except ValidationError as error:
            if unreadable:
                error = _about_typed_parts(error)
            add_service_errors(self, error)
        return cleaned

    def service_kwargs(self):
        """Keyword arguments for services.measurement_record, from a valid form."""
        change = self.change
        return {
            "indicator": self.indicator,
            "period": change.period,
            "status": change.status,
            "value": change.value,
            "breakdown": change.breakdown,
            "narrative": change.narrative,
            "explanation": change.explanation,
            "comment": change.comment,
            "reason": change.reason,
            "version": self.cleaned_data.get("version") or 0,
            # Checked files: their type is not sniffed again.
            "evidence_files": change.evidence_files,
            "evidence_links": change.evidence_links,
            "confirmed": bool(self.cleaned_data.get("confirmed")),
        }

    def save(self, *, user):
        """Record the value of a valid form; None when refused (the errors are on the form)."""
        try:
            return measurement_record(user=user, **self.service_kwargs())
        except WriteConflict as conflict:
            keep_typed_measurement(self, conflict.current)
        except ValidationError as error:
            add_service_errors(self, error)
        return None


class PeriodChoiceForm(forms.Form):
    """The one period picker (a GET form): one select per named choice.

    `choices`: [(query-string name, label, selected period)], e.g. the board's
    [("periode", "Period shown", …)]; `keep`: other query-string values the
    page must keep (a status filter…). Rendered by includes/_period_form.html (on the board's
    pages, by board/_period_picker.html, on one line).
    """

    def __init__(self, *args, periods, choices=None, submit_label=None, keep=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep = {name: value for name, value in (keep or {}).items() if value}
        options = [(str(period.pk), period.name) for period in periods]
        for name, label, selected in choices or [("periode", _("Period"), None)]:
            self.fields[name] = forms.ChoiceField(
                label=label, choices=options, initial=str(selected.pk) if selected else None
            )
        self.submit_label = submit_label or _("Show")


class StrategyProgressForm(forms.Form):
    """A strategy's state at the end of a period, with a note (replaces that period's state)."""

    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.none())
    state = forms.ChoiceField(
        label=_("State"), choices=[(s.value, STRATEGY_STATE_LABELS[s]) for s in StrategyState]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, what is blocked, what comes next."),
    )
    # The version of each period's state when the form was shown ("period:version,…"), so
    # that a save over someone else's newer state is refused whichever period is chosen.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, strategy, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["period"].queryset = ReportingPeriod.objects.of_plan(plan).order_by(
            "start_date"
        )
        self.fields["seen"].initial = self.seen_text(states)

    @staticmethod
    def seen_text(states):
        """`states`: {period id: StrategyProgress}."""
        return ",".join(f"{period_id}:{state.version}" for period_id, state in states.items())

    def version(self):
        """The version of the chosen period's state when the form was shown (0: none)."""
        seen = {}
        for part in (self.cleaned_data.get("seen") or "").split(","):
            period_id, _sep, version = part.partition(":")
            if period_id.isdigit() and version.isdigit():
                seen[int(period_id)] = int(version)
        return seen.get(self.cleaned_data["period"].pk, 0)
