"""Import a plan's structure workbook into a new draft plan: everything, or nothing.

`plan_import(rows=read_workbook(file), …)` checks every cell, sheet by sheet in the order of
their references (orientations before results, results before indicators…), and creates
each object through `full_clean()`. A row in error is left out and listed by sheet, row,
column and cell; rows that refer to it are not blamed again. One error rolls everything back.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.lifecycle.periods import plan_create_default_periods
from indicators.lifecycle.workbook import (
    MAX_CELL_CHARS,
    PLAN_FIELDS,
    SHEETS,
    SHEETS_BY_KEY,
    field_label,
    spellings,
)
from indicators.models import (
    Category,
    Dimension,
    Direction,
    Frequency,
    Indicator,
    MeasureKind,
    ScaleLevel,
)
from indicators.targets.services import target_value_problem
from plan.models import (
    OrganisationalValue,
    Orientation,
    Result,
    ResultItem,
    StrategicPlan,
    Strategy,
    StrategyItem,
    ValueCategory,
)


@dataclass
class CellError:
    """One problem of the workbook, where a person finds it."""

    sheet: str
    row: int | None
    column: str
    letter: str
    message: str

    @property
    def cell(self):
        return f"{self.letter}{self.row}" if self.letter and self.row else ""

    def __str__(self):
        where = [self.sheet]
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        cell = f" ({self.cell})" if self.cell else ""
        return f"{', '.join(where)}{cell} : {self.message}"


@dataclass
class PlanImport:
    errors: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    plan: StrategicPlan | None = None
    file_name: str = ""
    token: str = ""

    @property
    def is_valid(self):
        return not self.errors

    def count_rows(self):
        """(sheet title, number of objects) in the template's order, for the preview."""
        return [(str(sheet.title), self.counts.get(sheet.key, 0)) for sheet in SHEETS]


class _Rollback(Exception):
    pass


_MISSING = object()


class _Importer:
    """Builds the plan sheet by sheet; rows in error are left out and listed."""

    def __init__(self, data, result):
        self.sheets = data.get("sheets", {})
        self.result = result
        self.orientations = {}
        self.results = {}
        self.indicators = {}
        self.strategies = {}
        self.dimensions = {}
        self.existing_dimensions = {}
        self.users = {}
        self.periods = {}
        self.indicator_rows = {}

    # -- Errors and cells --

    def error(self, sheet_key, row, column_key, message):
        sheet = SHEETS_BY_KEY[sheet_key]
        found = self.sheets.get(sheet_key, {})
        self.result.errors.append(
            CellError(
                sheet=found.get("title") or str(sheet.title),
                row=row["_row"] if isinstance(row, dict) else row,
                column=sheet.label(column_key) if column_key else "",
                letter=found.get("letters", {}).get(column_key, "") if column_key else "",
                message=message,
            )
        )

    def rows(self, sheet_key):
        sheet = SHEETS_BY_KEY[sheet_key]
        found = self.sheets.get(sheet_key)
        if found is None:
            if sheet.required:
                self.error(sheet_key, None, None, _("This sheet is missing from the workbook."))
            return []
        for key in found["missing"]:
            self.error(
                sheet_key,
                1,
                None,
                _("The column “%(column)s” is missing.") % {"column": sheet.label(key)},
            )
        if found["missing"]:
            return []
        self.result.counts[sheet_key] = 0
        return found["rows"]

    def text(self, sheet_key, row, key, *, required=False):
        text = row.get(key, "")
        if len(text) > MAX_CELL_CHARS:
            self.error(
                sheet_key,
                row,
                key,
                _("This text is too long (%(count)s characters; the limit is %(limit)s).")
                % {"count": len(text), "limit": MAX_CELL_CHARS},
            )
            return _MISSING
        if required and not text:
            self.error(sheet_key, row, key, _("This cell cannot be empty."))
            return _MISSING
        return text

    def integer(self, sheet_key, row, key, *, required=True):
        text = row.get(key, "")
        if not text:
            if required:
                self.error(sheet_key, row, key, _("This cell cannot be empty."))
                return _MISSING
            return None
        if not (text.isascii() and text.isdigit()):
            self.error(sheet_key, row, key, _("“%(text)s” is not a whole number.") % {"text": text})
            return _MISSING
        return int(text)

    def decimal(self, sheet_key, row, key):
        text = row.get(key, "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(sheet_key, row, key, _("“%(text)s” is not a number.") % {"text": text})
            return _MISSING
        return number

    def date(self, sheet_key, row, key):
        text = row.get(key, "")
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            self.error(
                sheet_key, row, key, _("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}
            )
            return _MISSING

    def boolean(self, sheet_key, row, key, *, default):
        text = row.get(key, "").lower()
        if not text:
            return default
        if text in spellings(gettext_lazy("yes")) | {"yes", "1", "true", "vrai", "x"}:
            return True
        if text in spellings(gettext_lazy("no")) | {"no", "0", "false", "faux"}:
            return False
        self.error(sheet_key, row, key, _("“%(text)s” is not “yes” or “no”.") % {"text": text})
        return _MISSING

    def choice(self, sheet_key, row, key, choices, *, default=None):
        text = row.get(key, "")
        if not text:
            if default is None:
                self.error(sheet_key, row, key, _("This cell cannot be empty."))
                return _MISSING
            return default
        for choice in choices:
            if text.lower() in spellings(choice.label) | {choice.value}:
                return choice.value
        self.error(
            sheet_key,
            row,
            key,
            _("“%(text)s” is not one of: %(choices)s.")
            % {"text": text, "choices": ", ".join(f"« {c.label} »" for c in choices)},
        )
        return _MISSING

    def save(self, sheet_key, row, instance, fields, *, counted=True):
        """full_clean() then save; errors go to the row's cells (`fields`: field → column)."""
        try:
            instance.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = fields.get(name)
                for message in messages:
                    self.error(sheet_key, row, column, message)
            return None
        instance.save()
        if counted:
            self.result.counts[sheet_key] = self.result.counts.get(sheet_key, 0) + 1
        return instance

    # -- Sheets, in the order of their references --

    def plan(self, *, title, start_year, end_year):
        plan = StrategicPlan(title=title, start_year=start_year, end_year=end_year)
        fields_by_spelling = {}
        for name in PLAN_FIELDS:
            for spelling in spellings(field_label(StrategicPlan, name)) | {name}:
                fields_by_spelling[spelling] = name
        rows_by_field = {}
        for row in self.rows("plan"):
            name = fields_by_spelling.get(row.get("field", "").lower())
            if name is None:
                self.error(
                    "plan",
                    row,
                    "field",
                    _("“%(text)s” is not a field of the plan.") % {"text": row.get("field", "")},
                )
                continue
            model_field = StrategicPlan._meta.get_field(name)
            value = self.text("plan", row, "value")
            if value is _MISSING:
                continue
            if model_field.get_internal_type() == "PositiveSmallIntegerField":
                value = self.integer("plan", row, "value")
                if value is _MISSING:
                    continue
            setattr(plan, name, value)
            rows_by_field[name] = row
        try:
            plan.full_clean()
        except ValidationError as error:
            form_errors = []
            for name, messages in error.message_dict.items():
                if name in rows_by_field:
                    for message in messages:
                        self.error("plan", rows_by_field[name], "value", message)
                    setattr(plan, name, StrategicPlan._meta.get_field(name).get_default())
                else:
                    form_errors.extend(messages)
            if form_errors:
                raise ValidationError(form_errors) from None
            plan.full_clean()
        plan.save()
        self.periods = {
            period.name.lower(): period for period in plan_create_default_periods(plan=plan)
        }
        self.result.plan = plan
        return plan

    def values(self, plan):
        for row in self.rows("values"):
            category = self.choice("values", row, "category", ValueCategory)
            name = self.text("values", row, "name", required=True)
            definition = self.text("values", row, "definition", required=True)
            order = self.integer("values", row, "order", required=False)
            if _MISSING in (category, name, definition, order):
                continue
            self.save(
                "values",
                row,
                OrganisationalValue(
                    plan=plan, category=category, name=name, definition=definition, order=order or 0
                ),
                {
                    "category": "category",
                    "name": "name",
                    "definition": "definition",
                    "order": "order",
                },
            )

    def orientations_(self, plan):
        for row in self.rows("orientations"):
            number = self.integer("orientations", row, "number")
            title = self.text("orientations", row, "title", required=True)
            if number is not _MISSING:
                self.orientations.setdefault(number, None)
            if _MISSING in (number, title):
                continue
            if self.orientations[number] is not None:
                self.error("orientations", row, "number", _("This number is already used above."))
                continue
            self.orientations[number] = self.save(
                "orientations",
                row,
                Orientation(plan=plan, number=number, title=title),
                {"number": "number", "title": "title"},
            )

    def _find(self, registry, sheet_key, row, key, value, message):
        """The object `value` names in `registry`; None (quietly) if its own row was wrong."""
        if value is _MISSING:
            return _MISSING
        if value not in registry:
            self.error(sheet_key, row, key, message)
            return _MISSING
        return registry[value] if registry[value] is not None else _MISSING

    def results_(self):
        for row in self.rows("results"):
            number = self.integer("results", row, "number")
            orientation = self._find(
                self.orientations,
                "results",
                row,
                "orientation",
                self.integer("results", row, "orientation"),
                _("No orientation with this number in the sheet “%(sheet)s”.")
                % {"sheet": self.sheet_title("orientations")},
            )
            statement = self.text("results", row, "statement", required=True)
            if number is not _MISSING:
                self.results.setdefault(number, None)
            if _MISSING in (number, orientation, statement):
                continue
            if self.results[number] is not None:
                self.error("results", row, "number", _("This number is already used above."))
                continue
            self.results[number] = self.save(
                "results",
                row,
                Result(orientation=orientation, number=number, statement=statement),
                {"number": "number", "statement": "statement", "orientation": "orientation"},
            )

    def sheet_title(self, key):
        return self.sheets.get(key, {}).get("title") or str(SHEETS_BY_KEY[key].title)

    def result_items(self):
        for row in self.rows("result_items"):
            result = self._find(
                self.results,
                "result_items",
                row,
                "result",
                self.integer("result_items", row, "result"),
                _("No result with this number in the sheet “%(sheet)s”.")
                % {"sheet": self.sheet_title("results")},
            )
            letter = self.text("result_items", row, "letter", required=True)
            text = self.text("result_items", row, "text", required=True)
            if _MISSING in (result, letter, text):
                continue
            self.save(
                "result_items",
                row,
                ResultItem(result=result, letter=letter, text=text),
                {"letter": "letter", "text": "text"},
            )

    def dimensions_(self):
        existing = self.existing_dimensions = {d.name.lower(): d for d in Dimension.objects.all()}
        for row in self.rows("dimensions"):
            name = self.text("dimensions", row, "dimension", required=True)
            description = self.text("dimensions", row, "description")
            category = self.text("dimensions", row, "category")
            order = self.integer("dimensions", row, "order", required=False)
            if _MISSING in (name, description, category, order):
                continue
            key = name.lower()
            if key in existing:
                # A dimension shared with other plans is reused as it is.
                self.dimensions[key] = existing[key]
                continue
            dimension = self.dimensions.get(key)
            if dimension is None:
                dimension = self.save(
                    "dimensions",
                    row,
                    Dimension(name=name, description=description),
                    {"name": "dimension", "description": "description"},
                )
                self.dimensions[key] = dimension
                if dimension is None:
                    continue
            if category:
                self.save(
                    "dimensions",
                    row,
                    Category(dimension=dimension, name=category, order=order or 0),
                    {"name": "category", "order": "order"},
                    counted=False,
                )

    def user(self, sheet_key, row, key):
        name = row.get(key, "")
        if not name:
            return None
        if name not in self.users:
            self.users[name] = get_user_model().objects.filter(**{"username__iexact": name}).first()
        if self.users[name] is None:
            self.error(sheet_key, row, key, _("No user named “%(name)s”.") % {"name": name})
            return _MISSING
        return self.users[name]

    def indicators_(self):
        fields = {column.key: column.key for column in SHEETS_BY_KEY["indicators"].columns}
        fields["__all__"] = None
        for row in self.rows("indicators"):
            s = "indicators"
            result = self._find(
                self.results,
                s,
                row,
                "result",
                self.integer(s, row, "result"),
                _("No result with this number in the sheet “%(sheet)s”.")
                % {"sheet": self.sheet_title("results")},
            )
            order = self.integer(s, row, "order")
            values = {
                "wording": self.text(s, row, "wording", required=True),
                "definition": self.text(s, row, "definition"),
                "kind": self.choice(s, row, "kind", MeasureKind),
                "kind_is_proposal": self.boolean(s, row, "kind_is_proposal", default=True),
                "unit": self.text(s, row, "unit"),
                "direction": self.choice(
                    s, row, "direction", Direction, default=Direction.INCREASE
                ),
                "is_cumulative": self.boolean(s, row, "is_cumulative", default=False),
                "frequency": self.choice(s, row, "frequency", Frequency, default=Frequency.ANNUAL),
                "responsible": self.user(s, row, "responsible"),
                "data_source": self.text(s, row, "data_source"),
                "method": self.text(s, row, "method"),
                "baseline_value": self.decimal(s, row, "baseline_value"),
                "baseline_date": self.date(s, row, "baseline_date"),
                "baseline_comment": self.text(s, row, "baseline_comment"),
                "end_target_value": self.decimal(s, row, "end_target_value"),
                "end_target_comment": self.text(s, row, "end_target_comment"),
                "dimension": None,
                "baseline_period": None,
            }
            dimension_name = row.get("dimension", "")
            if dimension_name:
                values["dimension"] = self.dimensions.get(
                    dimension_name.lower(),
                    self.existing_dimensions.get(dimension_name.lower(), _MISSING),
                )
                if values["dimension"] is _MISSING:
                    self.error(
                        s,
                        row,
                        "dimension",
                        _("No breakdown dimension “%(name)s”: add it to the sheet “%(sheet)s”.")
                        % {"name": dimension_name, "sheet": self.sheet_title("dimensions")},
                    )
            period_name = row.get("baseline_period", "")
            if period_name:
                values["baseline_period"] = self.periods.get(period_name.lower(), _MISSING)
                if values["baseline_period"] is _MISSING:
                    self.error(
                        s,
                        row,
                        "baseline_period",
                        _("No period “%(name)s” in the new plan (%(periods)s).")
                        % {
                            "name": period_name,
                            "periods": ", ".join(p.name for p in self.periods.values()),
                        },
                    )
            code = f"{row.get('result', '')}.{row.get('order', '')}"
            if result is not _MISSING and order is not _MISSING:
                self.indicators.setdefault(code, None)
            if _MISSING in (result, order, *values.values()):
                continue
            if self.indicators[code] is not None:
                self.error(s, row, "order", _("This number is already used above."))
                continue
            self.indicator_rows[code] = row
            self.indicators[code] = self.save(
                s, row, Indicator(result=result, order=order, **values), fields
            )

    def levels(self):
        for row in self.rows("levels"):
            code = self.text("levels", row, "indicator", required=True)
            indicator = self._find(
                self.indicators,
                "levels",
                row,
                "indicator",
                code,
                _("No indicator “%(code)s” in the sheet “%(sheet)s”.")
                % {"code": code, "sheet": self.sheet_title("indicators")},
            )
            value = self.integer("levels", row, "value")
            label = self.text("levels", row, "label", required=True)
            description = self.text("levels", row, "description")
            if _MISSING in (indicator, value, label, description):
                continue
            self.save(
                "levels",
                row,
                ScaleLevel(indicator=indicator, value=value, label=label, description=description),
                {"value": "value", "label": "label", "description": "description"},
            )

    def targets_in_kind(self):
        """Baselines and end-of-plan targets in each indicator's kind (levels now known)."""
        for code, indicator in self.indicators.items():
            if indicator is None:
                continue
            for name in ("baseline_value", "end_target_value"):
                problem = target_value_problem(indicator=indicator, value=getattr(indicator, name))
                if problem:
                    self.error("indicators", self.indicator_rows[code], name, problem)

    def strategies_(self):
        for row in self.rows("strategies"):
            orientation = self._find(
                self.orientations,
                "strategies",
                row,
                "orientation",
                self.integer("strategies", row, "orientation"),
                _("No orientation with this number in the sheet “%(sheet)s”.")
                % {"sheet": self.sheet_title("orientations")},
            )
            order = self.integer("strategies", row, "order")
            text = self.text("strategies", row, "text", required=True)
            served = []
            for part in row.get("results", "").replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                number = int(part) if part.isascii() and part.isdigit() else part
                result = self._find(
                    self.results,
                    "strategies",
                    row,
                    "results",
                    number,
                    _("No result “%(number)s” in the sheet “%(sheet)s”.")
                    % {"number": part, "sheet": self.sheet_title("results")},
                )
                served.append(result)
            code = (row.get("orientation", ""), row.get("order", ""))
            if orientation is not _MISSING and order is not _MISSING:
                self.strategies.setdefault(code, None)
            if _MISSING in (orientation, order, text, *served):
                continue
            if self.strategies[code] is not None:
                self.error("strategies", row, "order", _("This number is already used above."))
                continue
            strategy = self.save(
                "strategies",
                row,
                Strategy(orientation=orientation, order=order, text=text),
                {"order": "order", "text": "text"},
            )
            if strategy is not None:
                strategy.results.set(served)
            self.strategies[code] = strategy

    def strategy_items(self):
        for row in self.rows("strategy_items"):
            code = (
                self.text("strategy_items", row, "orientation", required=True),
                self.text("strategy_items", row, "strategy", required=True),
            )
            strategy = self._find(
                self.strategies,
                "strategy_items",
                row,
                "strategy",
                _MISSING if _MISSING in code else code,
                _("No strategy %(order)s of orientation %(orientation)s in the sheet “%(sheet)s”.")
                % {
                    "order": code[1],
                    "orientation": code[0],
                    "sheet": self.sheet_title("strategies"),
                },
            )
            letter = self.text("strategy_items", row, "letter", required=True)
            text = self.text("strategy_items", row, "text", required=True)
            if _MISSING in (strategy, letter, text):
                continue
            self.save(
                "strategy_items",
                row,
                StrategyItem(strategy=strategy, letter=letter, text=text),
                {"letter": "letter", "text": "text"},
            )


def plan_import(*, rows, title, start_year, end_year, dry_run):
    """Create a new draft plan from `read_workbook`'s rows: everything, or nothing.

    Returns a PlanImport listing every error by sheet, row and column (nothing is written
    when there is one, nor on a `dry_run`). Raises ValidationError when the plan itself
    cannot be created (title or years already used, years out of order).
    """
    result = PlanImport()
    try:
        with transaction.atomic():
            importer = _Importer(rows, result)
            plan = importer.plan(title=title, start_year=start_year, end_year=end_year)
            importer.values(plan)
            importer.orientations_(plan)
            importer.results_()
            importer.result_items()
            importer.dimensions_()
            importer.indicators_()
            importer.levels()
            importer.targets_in_kind()
            importer.strategies_()
            importer.strategy_items()
            if dry_run or result.errors:
                raise _Rollback
    except _Rollback:
        result.plan = None
    return result
