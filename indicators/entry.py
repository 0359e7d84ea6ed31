"""Recording a period's values: the entry grid's rows and the errors of the write service.

The grid (`/saisie/<period>/`) shows one MeasurementForm per indicator, each with its own
prefix, and saves each row through services.measurement_record in its own transaction, as
the indicator page does.
"""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put the errors of the write service on the form's fields, keeping their codes.

    Keys that are not fields of this form (e.g. "value" for a count by category) become
    errors of the whole form.
    """
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
