"""Import values from a CSV or XLSX file laid out like the export (see values_export.py).

`read_rows` turns the file into plain rows (strings, kept in the session between the
preview and the confirmation, see preview.py); `measurements_import` reads each indicator's
rows through its kind, lists what each group of rows changes, old → new (values_changes.py;
a group that changes nothing is unchanged), and asks the recording services about each
changed value: on a preview (`dry_run`) `measurement_check`, which writes nothing and takes
no lock; on the confirmation `measurement_record`, all values in one transaction, or
nothing. The services' errors, keyed by meaning, land on the file's columns through one
table, ERROR_COLUMNS.
"""

from contextlib import nullcontext
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
from indicators.recording.services import measurement_check, measurement_record
from indicators.rules import uploads
from indicators.rules.kinds import kind_of
from indicators.rules.numbers import parse_number
from indicators.spreadsheets.cells import cell_in, xlsx_in
from indicators.spreadsheets.values_changes import group_texts, value_changes
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
    changes: list = field(default_factory=list)  # values_changes.Change, old → new


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


def _label(key):
    return str(dict(COLUMNS)[key])


def _number(row, key, *, percent=False):
    """The number of a cell, checked by the form's own rule (numbers.parse_number)."""
    text = row.data.get(key) or ""
    try:
        return parse_number(text, percent=percent)
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

    def number(self, row: ImportRow, key: str, *, percent: bool = False) -> Decimal | None:
        return _number(row, key, percent=percent)

    def label(self, key: str) -> str:
        return _label(key)


def _statuses():
    """Every spelling of a status (labels in every language, their parts, the keys) → key."""
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


# --- Service errors on the file's columns ----------------------------------------------------

# The recording services' error keys (their meaning) → the column of the file that holds it.
ERROR_COLUMNS = {
    "period": "period",
    "status": "status",
    "value": "value",
    "breakdown": "category",
    "narrative": "narrative",
    "explanation": "explanation",
    "comment": "comment",
    "reason": "reason",
    "evidence_files": "evidence",
    "evidence_links": "evidence",
}
# A "breakdown" error about one category's number: on that category's row, in this column.
CATEGORY_VALUE_COLUMN = "category_value"


def _report(error, group, rows_by_field):
    """Put a service's ValidationError on the rows of `group`, each message by its column."""
    for key, errors in error.update_error_dict({}).items():
        for item in errors:
            params = item.params or {}
            row, column = group[0], ERROR_COLUMNS.get(key)
            message = " ".join(item.messages)
            if key == "breakdown" and "category_id" in params:
                row = rows_by_field.get(f"cat_{params['category_id']}", row)
                column, message = CATEGORY_VALUE_COLUMN, str(params["problem"])
            row.errors.append(f"{_label(column)} : {message}" if column else message)


def changed_since_preview(current):
    """Why a row is refused at confirmation: its value changed after the preview."""
    if current is None:
        return _("This value was deleted after the preview; upload the file again.")
    person = current.updated_by.get_full_name() or current.updated_by.get_username()
    return _(
        "%(person)s changed this value after the preview (now version %(version)s); "
        "check it, then upload the file again."
    ) % {"person": person, "version": current.version}


# --- Reading the rows ------------------------------------------------------------------------


@dataclass
class _Plan:
    """What the rows name, read once: indicators by code, periods by name, saved values."""

    plan: object
    indicators: dict
    periods: dict
    existing: dict
    statuses: dict

    @classmethod
    def read(cls, plan):
        indicators = (
            Indicator.objects.of_plan(plan)
            .select_related("result__orientation", "dimension")
            .prefetch_related("levels", "dimension__categories")
        )
        measurements = Measurement.objects.of_plan(plan).prefetch_related("breakdowns")
        return cls(
            plan=plan,
            indicators={indicator.code: indicator for indicator in indicators},
            periods={period.name.strip().lower(): period for period in plan.periods.all()},
            existing={(m.indicator_id, m.period_id): m for m in measurements},
            statuses=_statuses(),
        )

    def groups(self, rows):
        """{(indicator, period): its rows}; a row naming neither gets its errors."""
        groups = {}
        for row in rows:
            code = (row.data.get("code") or "").strip()
            period_name = (row.data.get("period") or "").strip()
            indicator = self.indicators.get(code)
            period = self.periods.get(period_name.lower())
            shown = {"plan": self.plan.years}
            if indicator is None:
                row.errors.append(
                    _("%(column)s: no indicator “%(code)s” in the plan %(plan)s.")
                    % {**shown, "column": _label("code"), "code": code}
                )
            if period is None:
                row.errors.append(
                    _("%(column)s: no period “%(name)s” in the plan %(plan)s.")
                    % {**shown, "column": _label("period"), "name": period_name}
                )
            if indicator is not None and period is not None:
                groups.setdefault((indicator, period), []).append(row)
        return groups


def _read_group(indicator, group, statuses, existing):
    """One indicator-and-period group of rows, read through the indicator's kind.

    Returns (the services' keyword arguments or None when a cell is wrong, rows by field).
    """
    first = group[0]
    status_text = (first.data.get("status") or "").strip().lower()
    status = statuses.get(status_text) if status_text else MeasurementStatus.RECORDED
    if status is None:
        first.errors.append(
            _("%(column)s: “%(text)s” is not a known status.")
            % {"column": _label("status"), "text": first.data.get("status")}
        )
    categories = {}
    if indicator.dimension:
        categories = {c.name.strip().lower(): c for c in indicator.dimension.categories.all()}
    value, breakdown, rows_by_field = kind_of(indicator).import_reading(
        indicator, group, status=status, cells=Cells(categories)
    )
    texts = group_texts(group, existing)
    if any(row.errors for row in group):
        return None, {}
    values = {"indicator": indicator, "status": status, "value": value, "breakdown": breakdown}
    return {**values, **texts}, rows_by_field


# --- Checking or writing ---------------------------------------------------------------------


def _import_group(result, known, key, group, *, write):
    """Read one group and check it (`write` None) or write it; errors go on its rows."""
    (indicator, period), versions = key, result.versions
    current = known.existing.get((indicator.pk, period.pk))
    values, rows_by_field = _read_group(indicator, group, known.statuses, current)
    if values is None:
        return
    version_key = f"{indicator.pk}:{period.pk}"
    versions.setdefault(version_key, current.version if current else 0)
    if not value_changes(indicator, current, values, rows_by_field, group):
        result.unchanged += 1
        return
    # The person confirms every row of the preview: a value the plausibility check questions
    # is saved with that confirmation.
    values.update(period=period, version=versions[version_key], confirmed=True)
    try:
        if write is None:
            measurement_check(existing=current, **values)
        else:
            measurement_record(user=write, **values)
    except WriteConflict as conflict:
        group[0].errors.append(changed_since_preview(conflict.current))
    except ValidationError as error:
        _report(error, group, rows_by_field)
    else:
        result.written += 1


def measurements_import(*, rows, plan, user, dry_run, versions=None):
    """Check every row and, unless `dry_run`, write them all in one transaction.

    A `dry_run` (the preview) writes nothing and takes no lock. `versions`: the preview's
    `ImportResult.versions`; a value changed since the preview is refused (the person must
    look at the new value first). Returns an ImportResult listing each row's errors
    (French); nothing is written when a single row is wrong.
    """
    result = ImportResult(
        rows=[ImportRow(line=row.get("_line", 0), data=row) for row in rows],
        versions=dict(versions or {}),
    )
    known = _Plan.read(plan)
    groups = known.groups(result.rows)
    with nullcontext() if dry_run else transaction.atomic():
        for key, group in groups.items():
            _import_group(result, known, key, group, write=None if dry_run else user)
        if not result.is_valid:
            result.written = 0
            if not dry_run:
                transaction.set_rollback(True)  # all or nothing
    return result
