"""Dates in Québec French typography, on pages, files, e-mails and the admin.

The times and numbers come from the project's formats (tiess/formats/fr_CA); what a format
string cannot say is added here: « 1er » on the first day of a month (« 1er avril 2022 »).
Templates get it through the `date` filter below, which the settings load in every template
(TEMPLATES "builtins") in place of Django's; Python code calls `date_text`.
"""

import re

from django import template
from django.template import defaultfilters
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# An unescaped `j` (day of the month without leading zero) in a Django date format.
_DAY = re.compile(r"(?<!\\)j")


def with_first_day(format_string: str, value) -> str:
    """The format with « er » after the day when `value` is the 1st and the language French."""
    if getattr(value, "day", None) != 1 or not (get_language() or "").startswith("fr"):
        return format_string
    return _DAY.sub(r"j\\e\\r", format_string)


def date_text(value, format_name: str = "DATE_FORMAT") -> str:
    """`value` (a date or an aware datetime already in local time) in the current language."""
    format_string = formats.get_format(format_name)  # a name (DATE_FORMAT) or a format
    return formats.date_format(value, with_first_day(format_string, value))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter, with « 1er » on the first day of a month in French."""
    if value in (None, ""):
        return ""
    format_string = formats.get_format(arg or "DATE_FORMAT")
    return defaultfilters.date(value, with_first_day(format_string, value))
