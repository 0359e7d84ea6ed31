"""Service errors on a form: the one mapping from meaning (the write services' keys) to fields.

The services raise ValidationError keyed by meaning ("value", "breakdown", "reason"…, see
recording/services.py); a form names its inputs its own way ("level", "cat_<category id>").
"""

from django import forms
from django.core.exceptions import ValidationError


def _field_for(form: forms.Form, key: str, error: ValidationError):
    """(field name or None for the whole form, error to show) for one service error."""
    params = error.params or {}
    if key == "value":
        names = [name for name in ("value", "level") if name in form.fields]
        return (names[0] if names else None), error
    if key == "breakdown" and f"cat_{params.get('category_id')}" in form.fields:
        # Next to the category's input, the bare problem is enough.
        return f"cat_{params['category_id']}", ValidationError(params["problem"], code=error.code)
    return (key if key in form.fields else None), error


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields, keeping their codes ("implausible"…).

    Keys the form has no field for become errors of the whole form. A field that already
    has an error (what was typed could not be read) keeps that one alone.
    """
    for key, errors in error.update_error_dict({}).items():
        for item in errors:
            name, shown = _field_for(form, key, item)
            if name is not None and name in form.errors:
                continue
            form.add_error(name, shown)
