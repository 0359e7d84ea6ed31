from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.api.models import NAME_MAX_CHARS


class TokenForm(forms.Form):
    """The name of a new token: what it will be used for."""

    name = forms.CharField(
        label=_("Name of the token"),
        max_length=NAME_MAX_CHARS,
        help_text=_("What it is for, e.g. “Excel – board follow-up”."),
    )
