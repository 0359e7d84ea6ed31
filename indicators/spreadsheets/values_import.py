"""Import values from a CSV or XLSX file laid out like the export (see exports.py).

`read_rows` turns the file into plain rows (strings, kept in the session between the
preview and the confirmation); `measurements_import` checks every row through the same
service as the form and writes all of them in one transaction, or nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from indicators.models import Category, Indicator, Measurement, MeasurementStatus
from indicators.recording.guard import WriteConflict
from indicators.recording.services import measurement_record
from indicators.rules import uploads
from indicators.rules.kinds import kind_of
from indicators.rules.numbers import parse_number
from indicators.spreadsheets.cells import cell_in, xlsx_in
from indicators.spreadsheets.values_export import COLUMNS

REQUIRED = ("code", "period")


def _header_map():
    """Column header (in every language of the app, or the key itself) → column key."""
    mapping = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for key, label in COLUMNS:
                mapping[str(label).strip().lower()] = key
    for key, _label in COLUMNS:
        mapping[key] = key
    return mapping


def read_rows(uploaded):
    """Rows of the file as dicts of strings keyed like exports.COLUMNS, with "_line"."""
    uploaded.seek(0)
    if (uploaded.name or "").lower().endswith(".xlsx"):
        table = [[cell_in(xlsx_in(cell)) for cell in row] for row in uploads.xlsx_table(uploaded)]
    else:
        table = [[cell_in(cell) for cell in row] for row in uploads.csv_table(uploaded.read())]
    if not table:
        raise ValidationError(_("The file is empty."))
    headers = _header_map()
    keys = [headers.get(cell.lower()) for cell in table[0]]
    missing = [str(label) for key, label in COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        raise ValidationError(
            _("Missing columns: %(columns)s. Start from an export of the values.")
            % {"columns": ", ".join(f"« {column} »" for column in missing)}
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        row = {key: cell for key, cell in zip(keys, cells, strict=False) if key}
        if any(row.values()):
            row["_line"] = number
            rows.append(row)
    if not rows:
        raise ValidationError(_("The file has no rows of values."))
    return rows


@dataclass
class ImportRow:
    line: int
    data: dict
    errors: list = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list
    written: int = 0
    unchanged: int = 0
    file_name: str = ""
    token: str = ""
    # The version of each value the preview was checked against ("indicator:period" → version,
    # 0 for none): the confirmation refuses rows whose value changed since.
    versions: dict = field(default_factory=dict)

    @property
    def is_valid(self):
        return not any(row.errors for row in self.rows)

    @property
    def error_count(self):
        return sum(len(row.errors) for row in self.rows)


class _Rollback(Exception):
    pass


def _label(key):
    return str(dict(COLUMNS)[key])


def _number(row, key):
    """The number of a cell, checked by the form's own rule (numbers.parse_number)."""
    text = row.data.get(key) or ""
    try:
        return parse_number(text)
    except ValidationError as error:
        shown = {"column": _label(key), "text": Truncator(text).chars(40)}
        if error.code == "invalid":
            row.errors.append(_("%(column)s: “%(text)s” is not a number.") % shown)
        else:  # too large, too many decimals
            shown["error"] = " ".join(error.messages)
            row.errors.append(_("%(column)s: “%(text)s”: %(error)s") % shown)
        return None


@dataclass
class Cells:
    """How a kind reads the cells of its rows (see kinds.IndicatorKind.import_reading)."""

    # {lower-case category name: Category} of the indicator's dimension.
    categories: dict[str, Category]

    def number(self, row: ImportRow, key: str) -> Decimal | None:
        return _number(row, key)

    def label(self, key: str) -> str:
        return _label(key)


def _statuses():
    mapping = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for status in MeasurementStatus:
                label = str(status.label).strip().lower()
                mapping[label] = status.value
                for part in label.split("/"):  # "non mesuré", "sans objet"
                    mapping[part.strip()] = status.value
    for status in MeasurementStatus:
        mapping[status.value] = status.value
    return mapping


def _is_unchanged(existing, *, status, value, breakdown, narrative, explanation, comment):
    if existing is None:
        return False
    current = {item.category_id: item.value for item in existing.breakdowns.all()}
    return (
        existing.status == status
        and existing.value == value
        and current == breakdown
        and existing.narrative == narrative
        and existing.explanation == explanation
        and existing.comment == comment
    )


def _field_column(field_name):
    if field_name in ("value", "level"):
        return "value"
    if field_name.startswith("cat_"):
        return "category_value"
    if field_name == "breakdown":
        return "category"
    return {"evidence_files": "evidence", "evidence_links": "evidence"}.get(field_name, field_name)


def _check_group(indicator, group, categories):
    """Parse one indicator-and-period group of rows; return service kwargs or None."""
    first = group[0]
    statuses = _statuses()
    status_text = (first.data.get("status") or "").strip().lower()
    status = statuses.get(status_text) if status_text else MeasurementStatus.RECORDED
    if status is None:
        first.errors.append(
            _("%(column)s: “%(text)s” is not a known status.")
            % {"column": _label("status"), "text": first.data.get("status")}
        )
    cells = Cells(categories)
    value, breakdown, rows_by_field = kind_of(indicator).import_reading(
        indicator, group, status=status, cells=cells
    )
    if any(row.errors for row in group):
        return None, {}
    kwargs = {
        "indicator": indicator,
        "status": status,
        "value": value,
        "breakdown": breakdown,
        "narrative": first.data.get("narrative", ""),
        "explanation": first.data.get("explanation", ""),
        "comment": first.data.get("comment", ""),
        "reason": first.data.get("reason", ""),
    }
    return kwargs, rows_by_field


def changed_since_preview(current):
    """Why a row is refused at confirmation: its value changed after the preview."""
    if current is None:
        return _("This value was deleted after the preview; upload the file again.")
    person = current.updated_by.get_full_name() or current.updated_by.get_username()
    return _(
        "%(person)s changed this value after the preview (now version %(version)s); "
        "check it, then upload the file again."
    ) % {"person": person, "version": current.version}


def measurements_import(*, rows, plan, user, dry_run, versions=None):
    """Check every row and, unless `dry_run`, write them all in one transaction.

    `versions`: the preview's `ImportResult.versions`; a value changed since the preview is
    refused (the person must look at the new value first). Returns an ImportResult listing
    each row's errors (French); nothing is written when a single row is wrong.
    """
    result = ImportResult(rows=[ImportRow(line=row.get("_line", 0), data=row) for row in rows])
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.of_plan(plan)
        .select_related("result__orientation", "dimension")
        .prefetch_related("levels", "dimension__categories")
    }
    periods = {period.name.strip().lower(): period for period in plan.periods.all()}
    existing = {
        (measurement.indicator_id, measurement.period_id): measurement
        for measurement in Measurement.objects.of_plan(plan).prefetch_related("breakdowns")
    }

    groups = {}
    for row in result.rows:
        code = (row.data.get("code") or "").strip()
        period_name = (row.data.get("period") or "").strip()
        indicator = indicators.get(code)
        period = periods.get(period_name.lower())
        if indicator is None:
            row.errors.append(
                _("%(column)s: no indicator “%(code)s” in the plan %(plan)s.")
                % {"column": _label("code"), "code": code, "plan": plan.years}
            )
        if period is None:
            row.errors.append(
                _("%(column)s: no period “%(name)s” in the plan %(plan)s.")
                % {"column": _label("period"), "name": period_name, "plan": plan.years}
            )
        if indicator is not None and period is not None:
            groups.setdefault((indicator, period), []).append(row)

    try:
        with transaction.atomic():
            for (indicator, period), group in groups.items():
                categories = (
                    {c.name.strip().lower(): c for c in indicator.dimension.categories.all()}
                    if indicator.dimension
                    else {}
                )
                kwargs, rows_by_field = _check_group(indicator, group, categories)
                if kwargs is None:
                    continue
                current = existing.get((indicator.pk, period.pk))
                key = f"{indicator.pk}:{period.pk}"
                result.versions[key] = current.version if current else 0
                if _is_unchanged(
                    current,
                    status=kwargs["status"],
                    value=(
                        sum(kwargs["breakdown"].values(), Decimal(0))
                        if kwargs["breakdown"]
                        else kwargs["value"]
                    ),
                    breakdown=kwargs["breakdown"],
                    narrative=kwargs["narrative"],
                    explanation=kwargs["explanation"],
                    comment=kwargs["comment"],
                ):
                    result.unchanged += 1
                    continue
                try:
                    with transaction.atomic():
                        measurement_record(
                            period=period,
                            user=user,
                            version=(versions or {}).get(key, result.versions[key]),
                            # The person confirmed every row of the preview; a value the
                            # plausibility check questions is saved with that confirmation.
                            confirmed=True,
                            **kwargs,
                        )
                except WriteConflict as conflict:
                    group[0].errors.append(changed_since_preview(conflict.current))
                except ValidationError as error:
                    for field_name, messages in error.message_dict.items():
                        column = _field_column(field_name)
                        label = _label(column) if column in dict(COLUMNS) else column
                        row = rows_by_field.get(field_name, group[0])
                        for message in messages:
                            row.errors.append(f"{label} : {message}")
                else:
                    result.written += 1
            if dry_run or not result.is_valid:
                raise _Rollback
    except _Rollback:
        if not result.is_valid:
            result.written = 0
    return result
