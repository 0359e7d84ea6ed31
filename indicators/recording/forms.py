"""The form that records or corrects the value of one indicator for one period."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    STRATEGY_STATE_LABELS,
    Measurement,
    MeasurementStatus,
    ReportingPeriod,
    StrategyState,
)
from indicators.recording.evidence import evidence_check_file
from indicators.recording.services import measurement_clean_values
from indicators.rules.kinds import kind_of
from indicators.rules.numbers import NumberField
from indicators.rules.periods import period_problem
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


class MeasurementForm(forms.Form):
    """Fields depend on the indicator's kind.

    POST names: period, version, status (recorded | not_measured), value (count, percentage,
    amount), level (level kinds), cat_<category id> (count by category), narrative,
    explanation, comment, reason, evidence_files (several), evidence_links (one URL a line).
    """

    period = forms.ModelChoiceField(
        label=_("Period"),
        queryset=ReportingPeriod.objects.all(),
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
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation = forms.CharField(
        label=_("Explanation (required when not measured)"),
        required=False,
        max_length=EXPLANATION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
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
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=format_lazy(
            _(
                "Required when you correct a value that was already recorded; at most "
                "{limit} characters."
            ),
            limit=REASON_MAX_CHARS,
        ),
    )

    # Shown once the service found the value implausible (see services.measurement_check_plausible).
    confirmed = forms.BooleanField(label=_("I confirm this value"), required=False)

    def __init__(self, *args, indicator, measurement=None, period=None, **kwargs):
        self.indicator = indicator
        self.existing = measurement
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("period", period.pk if period else None)
        initial.setdefault("version", measurement.version if measurement else 0)
        if measurement is not None:
            initial.setdefault("status", measurement.status)
            initial.setdefault("narrative", measurement.narrative)
            initial.setdefault("explanation", measurement.explanation)
            initial.setdefault("comment", measurement.comment)
        super().__init__(*args, **kwargs)
        self.fields["narrative"].label = _("Narrative")
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

    # --- Validation ------------------------------------------------------------------------

    def clean_period(self):
        period = self.cleaned_data["period"]
        problem = period_problem(plan_id=self.indicator.result.orientation.plan_id, period=period)
        if problem:
            raise ValidationError(problem)
        return period

    def clean_evidence_files(self):
        files = self.cleaned_data.get("evidence_files") or []
        errors = []
        for uploaded in files:
            try:
                evidence_check_file(uploaded)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean_evidence_links(self):
        links = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        links = [link for link in links if link]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a valid web address (https://…).") % {"link": link}
                ) from None
        return links

    def breakdown(self):
        return {
            int(name.removeprefix("cat_")): number
            for name, number in self.cleaned_data.items()
            if name.startswith("cat_") and number is not None
        }

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        status = cleaned.get("status")
        value_names = [name for name in self.fields if name in ("value", "level")]
        value_names += [field.name for field in self.breakdown_fields()]
        # Fields that are not numbers at all already have their error; still check the others,
        # so that every problem shows at once.
        unreadable = [name for name in value_names if name in self.errors]
        if status is not None:
            raw_value = self.kind.form_value(cleaned)
            try:
                value, _breakdown = measurement_clean_values(
                    indicator=self.indicator,
                    status=status,
                    value=raw_value,
                    breakdown=self.breakdown(),
                    narrative=cleaned.get("narrative", ""),
                    explanation=cleaned.get("explanation", ""),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    if unreadable and (field not in value_names or field in self.errors):
                        continue
                    self.add_error(field if field in self.fields else None, messages)
            else:
                if not unreadable:
                    cleaned["measured_value"] = value
        if period is not None and "period" not in self.errors:
            existing = (
                Measurement.objects.filter(indicator=self.indicator, period=period)
                .select_related("updated_by")
                .first()
            )
            self.existing = existing
            version = cleaned.get("version") or 0
            if (
                existing is not None
                and version == existing.version
                and not cleaned.get("reason", "").strip()
            ):
                self.add_error(
                    "reason", _("A value was already recorded: give the reason for the change.")
                )
        return cleaned

    def service_kwargs(self):
        """Keyword arguments for services.measurement_record, from a valid form."""
        data = self.cleaned_data
        return {
            "indicator": self.indicator,
            "period": data["period"],
            "status": data["status"],
            "value": data.get("measured_value"),
            "breakdown": self.breakdown(),
            "narrative": data.get("narrative", ""),
            "explanation": data.get("explanation", ""),
            "comment": data.get("comment", ""),
            "reason": data.get("reason", ""),
            "version": data.get("version") or 0,
            "evidence_files": data.get("evidence_files") or [],
            "evidence_links": data.get("evidence_links") or [],
            "confirmed": bool(data.get("confirmed")),
        }


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
