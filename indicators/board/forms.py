"""Forms of the board app: a meeting, the confirmation that freezes its pack, the reason
for removing a pack, the day « Depuis … » starts from."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


class DateInWordsWidget(forms.SelectDateWidget):
    """Day, month in words, year: three selects in the language's order, each one named (a
    browser's date box would show « 12/01/2026 »)."""

    PARTS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget in context["widget"]["subwidgets"]:
            part = subwidget["name"].rsplit("_", 1)[-1]
            subwidget["attrs"] = {
                **subwidget["attrs"],
                "aria-label": self.PARTS[part],
                "class": "form-select form-select-sm",
            }
        return context


class SinceForm(forms.Form):
    """« Depuis … »: the day from which changes are listed, compared with today (a GET form)."""

    date = forms.DateField(label=_("Changes since"))

    def __init__(self, *args, first_year, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].widget = DateInWordsWidget(years=range(first_year, today.year + 1))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError(_("Choose a day no later than today."))
        widget = self.fields["date"].widget
        # An earlier day typed in the address: its year is offered too, and shown selected.
        widget.years = range(min(day.year, widget.years.start), self.today.year + 1)
        return day


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

    def __init__(self, *args, unvalidated=0, **kwargs):
        super().__init__(*args, **kwargs)
        # Values not validated yet (issue 23): a second box, so freezing them is deliberate.
        if unvalidated:
            self.fields["confirm_unvalidated"] = forms.BooleanField(
                label=ngettext(
                    "I know that %(count)s value is not validated yet: the pack shows it "
                    "marked “not validated”.",
                    "I know that %(count)s values are not validated yet: the pack shows them "
                    "marked “not validated”.",
                    unvalidated,
                )
                % {"count": unvalidated},
                error_messages={
                    "required": _("Tick the box to confirm: some values are not validated yet.")
                },
            )
