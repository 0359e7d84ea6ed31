"""`?format=csv`: a flat CSV that Excel opens in French (UTF-8 with BOM, « ; », « 12,5 »).

Written by the app's one CSV writer (spreadsheets.writer: formulas neutralised). Each view
names its columns (`csv_columns`: key, French header, and how to flatten nested data).
"""

from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer

from indicators.spreadsheets.writer import Column, csv_cell, csv_lines


def joined(items, text):
    """A list of nested objects as one cell: « Entreprise : 4 ; Réseau : 5 »."""
    return " ; ".join(text(item) for item in items or [])


class FrenchCsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        failed = response is not None and response.status_code >= 400
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        elif isinstance(data, dict) and not failed:
            data = [data]  # one object: a one-row file
        if failed or not isinstance(data, list):
            columns, rows = [Column("detail", _("Error"))], [{"detail": _error_text(data)}]
        else:
            columns = [Column(key, header) for key, header, _flat in view.csv_columns]
            rows = [_flat_row(view.csv_columns, row) for row in data]
        if response is not None and view is not None:
            response["Content-Disposition"] = f'attachment; filename="{view.csv_name}.csv"'
        return "".join(csv_lines(columns, rows)).encode("utf-8")


def _flat_row(csv_columns, row):
    return {key: flat(row.get(key)) if flat else row.get(key) for key, _header, flat in csv_columns}


def _error_text(data):
    if isinstance(data, dict):
        return " ".join(f"{value}" for value in data.values())
    return csv_cell(data)
