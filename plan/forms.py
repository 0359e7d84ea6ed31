from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod, StrategyState
from indicators.text_limits import NOTE_MAX_CHARS
from plan.progress import STRATEGY_STATE_LABELS


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

    def __init__(self, *args, plan, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["period"].queryset = ReportingPeriod.objects.of_plan(plan).order_by(
            "start_date"
        )
