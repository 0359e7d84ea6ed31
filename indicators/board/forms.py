"""Forms of the board app: a meeting, the confirmation that freezes its pack, and the reason
for removing a pack."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.board.models import Meeting
from indicators.models import ReportingPeriod


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "period", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["period"].queryset = ReportingPeriod.objects.of_plan(plan).order_by(
            "start_date"
        )


class PackRemovalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing the pack"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PresentForm(forms.Form):
    """« Marquer comme présentée » cannot be undone: the box must be ticked (no script needed)."""

    confirm = forms.BooleanField(
        label=_(
            "I confirm: the pack is frozen as the report shows it now and can no longer change."
        ),
        error_messages={
            "required": _("Tick the box to confirm: a frozen pack can no longer be changed.")
        },
    )
