"""Import a plan's structure workbook into a new draft plan: everything, or nothing.

`plan_import(rows=read_workbook(file), …)` reads every cell (workbook_cells.SheetCells),
sheet by sheet in the order of their references (orientations before results, results
before indicators…), and builds each object without saving it: `full_clean()` checks it
(its links to objects of the same file aside, which have no key yet) and its unique
constraints are checked against the file's other rows. A row in error is left out and listed
by sheet, row, column and cell; rows that refer to it are not blamed again.

A preview (`dry_run`) stops there: nothing is written, nothing is locked. Otherwise, when
no cell is wrong, every object is saved in one transaction, parents first.
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.lifecycle.periods import default_periods
from indicators.lifecycle.workbook import (
    PLAN_FIELDS,
    SHEETS,
    SHEETS_BY_KEY,
    field_label,
    spellings,
)
from indicators.lifecycle.workbook_cells import MISSING, SheetCells
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

# The plan's fields that the import's form asks (the others are on the sheet « Plan »).
PLAN_ASKED = ("title", "start_year", "end_year")


def _already_used():
    return _("This number is already used above.")


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


# --- Objects checked without being saved ----------------------------------------------------


def _new_parent(instance, field_name):
    """The object of the file that `instance` links to by `field_name`, when not saved yet."""
    model_field = instance._meta.get_field(field_name)
    if not model_field.many_to_one:
        return None
    parent = model_field.get_cached_value(instance, default=None)
    return parent if parent is not None and parent.pk is None else None


def _unsaved_links(instance):
    """The names of `instance`'s links to objects of the file (no key to check yet)."""
    return [
        model_field.name
        for model_field in instance._meta.concrete_fields
        if _new_parent(instance, model_field.name) is not None
    ]


def _unique_keys(instance):
    """[(unique constraint, its key for `instance`)]; an object of the file by identity."""
    keys = []
    for constraint in instance._meta.total_unique_constraints:
        values = []
        for name in constraint.fields:
            parent = _new_parent(instance, name)
            attname = instance._meta.get_field(name).attname
            values.append(("new", id(parent)) if parent else getattr(instance, attname))
        if None not in values:  # NULLs never clash
            keys.append((constraint, (type(instance), constraint.name, tuple(values))))
    return keys


def _unique_error(instance, constraint):
    """The error full_clean() would give for this constraint (Django's or the model's)."""
    if constraint.violation_error_message == constraint.default_violation_error_message:
        return instance.unique_error_message(type(instance), constraint.fields)
    return ValidationError(constraint.get_violation_error_message(), code="unique")


class _Draft:
    """The new plan's objects, as the sheets describe them: checked, not saved."""

    def __init__(self, cells: SheetCells, result: PlanImport):
        self.cells, self.result = cells, result
        self.plan = None
        self.objects = []  # in saving order: parents first
        self.served = []  # (strategy, the results it serves), set once both are saved
        self.unique = set()
        # What later sheets refer to (None: its row was wrong).
        self.orientations, self.results, self.indicators, self.strategies = {}, {}, {}, {}
        self.dimensions, self.existing_dimensions, self.periods = {}, {}, {}
        self.indicator_rows, self.levels = {}, {}

    def add(self, sheet_key, row, instance, fields, *, counted=True):
        """Check `instance` as saving it would; errors go to the row's cells (`fields`:
        model field → column). Returns the instance, or None when it is wrong."""
        try:
            instance.full_clean(exclude=_unsaved_links(instance))
            keys = _unique_keys(instance)
            for constraint, key in keys:
                if key in self.unique:
                    raise ValidationError({NON_FIELD_ERRORS: [_unique_error(instance, constraint)]})
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.cells.error(sheet_key, row, fields.get(name), message)
            return None
        self.unique.update(key for _constraint, key in keys)
        self.objects.append(instance)
        if counted:
            self.result.counts[sheet_key] = self.result.counts.get(sheet_key, 0) + 1
        return instance

    def write(self):
        """Save every object, parents first (save() takes each parent's new key)."""
        for instance in self.objects:
            instance.save()
        for strategy, results in self.served:
            strategy.results.set(results)
        self.result.plan = self.plan


# --- Sheets, in the order of their references ------------------------------------------------


def _plan_fields(draft, plan):
    """Set the plan's fields from the sheet « Plan »; {field name: its row}. An empty
    number keeps the plan's default (the status thresholds)."""
    cells = draft.cells
    fields_by_spelling = {}
    for name in PLAN_FIELDS:
        for spelling in spellings(field_label(StrategicPlan, name)) | {name}:
            fields_by_spelling[spelling] = name
    rows_by_field = {}
    for row in cells.rows("plan"):
        name = fields_by_spelling.get(row.get("field", "").lower())
        if name is None:
            message = _("“%(text)s” is not a field of the plan.") % {"text": row.get("field", "")}
            cells.error("plan", row, "field", message)
            continue
        rows_by_field[name] = row
        value = cells.text("plan", row, "value")
        internal_type = StrategicPlan._meta.get_field(name).get_internal_type()
        if value is not MISSING and internal_type == "PositiveSmallIntegerField":
            value = cells.integer("plan", row, "value", required=False)
        if value is not MISSING and value is not None:
            setattr(plan, name, value)
    return rows_by_field


def _plan_checked(draft, plan, rows_by_field):
    """Check the plan as saving it would, each error where a person fixes it (one mapping):
    the title and years the form asks, on the form (raised); every other field, and the
    constraints between them (thresholds in order), on the sheet « Plan »."""
    asked_only = [f.name for f in StrategicPlan._meta.fields if f.name not in PLAN_ASKED]
    try:
        plan.full_clean(exclude=asked_only)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    try:
        plan.full_clean(exclude=PLAN_ASKED)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            row = rows_by_field.get(name)
            for message in messages:
                if row is None and name != NON_FIELD_ERRORS:
                    label = field_label(StrategicPlan, name)
                    message = _("%(field)s: %(message)s") % {"field": label, "message": message}
                draft.cells.error("plan", row, "value" if row else None, message)
        return False
    return True


def _plan(draft, *, title, start_year, end_year):
    """The new plan and its periods. Raises ValidationError (keyed by the form's fields)
    when the plan itself cannot be created (title or years already used, years out of
    order): the form shows it."""
    plan = StrategicPlan(title=title, start_year=start_year, end_year=end_year)
    rows_by_field = _plan_fields(draft, plan)
    if _plan_checked(draft, plan, rows_by_field):
        draft.result.counts["plan"] = 1
    periods = default_periods(plan=plan)
    draft.plan = plan
    draft.objects.extend([plan, *periods])
    draft.periods = {period.name.lower(): period for period in periods}


def _values(draft):
    cells = draft.cells
    for row in cells.rows("values"):
        category = cells.choice("values", row, "category", ValueCategory)
        name = cells.text("values", row, "name", required=True)
        definition = cells.text("values", row, "definition", required=True)
        order = cells.integer("values", row, "order", required=False)
        if MISSING in (category, name, definition, order):
            continue
        value = OrganisationalValue(
            plan=draft.plan, category=category, name=name, definition=definition, order=order or 0
        )
        columns = {"category": "category", "name": "name", "definition": "definition"}
        draft.add("values", row, value, {**columns, "order": "order"})


def _orientations(draft):
    cells = draft.cells
    for row in cells.rows("orientations"):
        number = cells.integer("orientations", row, "number")
        title = cells.text("orientations", row, "title", required=True)
        if number is not MISSING:
            draft.orientations.setdefault(number, None)
        if MISSING in (number, title):
            continue
        if draft.orientations[number] is not None:
            cells.error("orientations", row, "number", _already_used())
            continue
        draft.orientations[number] = draft.add(
            "orientations",
            row,
            Orientation(plan=draft.plan, number=number, title=title),
            {"number": "number", "title": "title"},
        )


def _results(draft):
    cells = draft.cells
    for row in cells.rows("results"):
        number = cells.integer("results", row, "number")
        orientation = cells.find(
            draft.orientations,
            "results",
            row,
            "orientation",
            cells.integer("results", row, "orientation"),
            _("No orientation with this number in the sheet “%(sheet)s”.")
            % {"sheet": cells.sheet_title("orientations")},
        )
        statement = cells.text("results", row, "statement", required=True)
        if number is not MISSING:
            draft.results.setdefault(number, None)
        if MISSING in (number, orientation, statement):
            continue
        if draft.results[number] is not None:
            cells.error("results", row, "number", _already_used())
            continue
        draft.results[number] = draft.add(
            "results",
            row,
            Result(orientation=orientation, number=number, statement=statement),
            {"number": "number", "statement": "statement", "orientation": "orientation"},
        )


def _result_items(draft):
    cells = draft.cells
    for row in cells.rows("result_items"):
        result = cells.find(
            draft.results,
            "result_items",
            row,
            "result",
            cells.integer("result_items", row, "result"),
            _("No result with this number in the sheet “%(sheet)s”.")
            % {"sheet": cells.sheet_title("results")},
        )
        letter = cells.text("result_items", row, "letter", required=True)
        text = cells.text("result_items", row, "text", required=True)
        if MISSING in (result, letter, text):
            continue
        draft.add(
            "result_items",
            row,
            ResultItem(result=result, letter=letter, text=text),
            {"letter": "letter", "text": "text"},
        )


def _dimensions(draft):
    """New dimensions and their categories; a dimension other plans share is reused as is."""
    cells = draft.cells
    existing = draft.existing_dimensions = {d.name.lower(): d for d in Dimension.objects.all()}
    for row in cells.rows("dimensions"):
        name = cells.text("dimensions", row, "dimension", required=True)
        description = cells.text("dimensions", row, "description")
        category = cells.text("dimensions", row, "category")
        order = cells.integer("dimensions", row, "order", required=False)
        if MISSING in (name, description, category, order):
            continue
        key = name.lower()
        if key in existing:
            draft.dimensions[key] = existing[key]
            continue
        if draft.dimensions.get(key) is None:  # each row naming it checks it
            draft.dimensions[key] = draft.add(
                "dimensions",
                row,
                Dimension(name=name, description=description),
                {"name": "dimension", "description": "description"},
            )
        if category and draft.dimensions[key] is not None:
            draft.add(
                "dimensions",
                row,
                Category(dimension=draft.dimensions[key], name=category, order=order or 0),
                {"name": "category", "order": "order"},
                counted=False,
            )


def _indicator_values(cells, row):
    """The indicator's own cells, read (MISSING where a cell is wrong)."""
    s = "indicators"
    return {
        "wording": cells.text(s, row, "wording", required=True),
        "definition": cells.text(s, row, "definition"),
        "kind": cells.choice(s, row, "kind", MeasureKind),
        "kind_is_proposal": cells.boolean(s, row, "kind_is_proposal", default=True),
        "unit": cells.text(s, row, "unit"),
        "direction": cells.choice(s, row, "direction", Direction, default=Direction.INCREASE),
        "is_cumulative": cells.boolean(s, row, "is_cumulative", default=False),
        "frequency": cells.choice(s, row, "frequency", Frequency, default=Frequency.ANNUAL),
        "responsible": cells.user(s, row, "responsible"),
        "data_source": cells.text(s, row, "data_source"),
        "method": cells.text(s, row, "method"),
        "baseline_value": cells.decimal(s, row, "baseline_value"),
        "baseline_date": cells.date(s, row, "baseline_date"),
        "baseline_comment": cells.text(s, row, "baseline_comment"),
        "end_target_value": cells.decimal(s, row, "end_target_value"),
        "end_target_comment": cells.text(s, row, "end_target_comment"),
    }


def _indicator_links(draft, row):
    """The indicator's dimension and baseline period, found by name (MISSING when unknown)."""
    links = {"dimension": None, "baseline_period": None}
    name = row.get("dimension", "")
    if name.lower() in draft.dimensions:  # None when its own row was wrong: not blamed again
        links["dimension"] = draft.dimensions[name.lower()] or MISSING
    elif name:
        links["dimension"] = MISSING
        message = _("No breakdown dimension “%(name)s”: add it to the sheet “%(sheet)s”.") % {
            "name": name,
            "sheet": draft.cells.sheet_title("dimensions"),
        }
        draft.cells.error("indicators", row, "dimension", message)
    name = row.get("baseline_period", "")
    if name:
        links["baseline_period"] = draft.periods.get(name.lower(), MISSING)
        if links["baseline_period"] is MISSING:
            message = _("No period “%(name)s” in the new plan (%(periods)s).") % {
                "name": name,
                "periods": ", ".join(p.name for p in draft.periods.values()),
            }
            draft.cells.error("indicators", row, "baseline_period", message)
    return links


def _indicators(draft):
    cells = draft.cells
    columns = {column.key: column.key for column in SHEETS_BY_KEY["indicators"].columns}
    columns[NON_FIELD_ERRORS] = None
    for row in cells.rows("indicators"):
        result = cells.find(
            draft.results,
            "indicators",
            row,
            "result",
            cells.integer("indicators", row, "result"),
            _("No result with this number in the sheet “%(sheet)s”.")
            % {"sheet": cells.sheet_title("results")},
        )
        order = cells.integer("indicators", row, "order")
        values = {**_indicator_values(cells, row), **_indicator_links(draft, row)}
        code = f"{row.get('result', '')}.{row.get('order', '')}"
        if result is not MISSING and order is not MISSING:
            draft.indicators.setdefault(code, None)
        if MISSING in (result, order, *values.values()):
            continue
        if draft.indicators[code] is not None:
            cells.error("indicators", row, "order", _already_used())
            continue
        draft.indicator_rows[code] = row
        indicator = Indicator(result=result, order=order, **values)
        draft.indicators[code] = draft.add("indicators", row, indicator, columns)


def _levels(draft):
    cells = draft.cells
    for row in cells.rows("levels"):
        code = cells.text("levels", row, "indicator", required=True)
        indicator = cells.find(
            draft.indicators,
            "levels",
            row,
            "indicator",
            code,
            _("No indicator “%(code)s” in the sheet “%(sheet)s”.")
            % {"code": code, "sheet": cells.sheet_title("indicators")},
        )
        value = cells.integer("levels", row, "value")
        label = cells.text("levels", row, "label", required=True)
        description = cells.text("levels", row, "description")
        if MISSING in (indicator, value, label, description):
            continue
        level = ScaleLevel(indicator=indicator, value=value, label=label, description=description)
        columns = {"value": "value", "label": "label", "description": "description"}
        if draft.add("levels", row, level, columns) is not None:
            draft.levels.setdefault(code, []).append(value)


def _targets_in_kind(draft):
    """Baselines and end-of-plan targets in each indicator's kind (levels now known)."""
    for code, indicator in draft.indicators.items():
        if indicator is None:
            continue
        for name in ("baseline_value", "end_target_value"):
            problem = target_value_problem(
                indicator=indicator, value=getattr(indicator, name), levels=draft.levels.get(code)
            )
            if problem:
                draft.cells.error("indicators", draft.indicator_rows[code], name, problem)


def _served(draft, row):
    """The results a strategy serves (« 1, 3 »), each found in the sheet of results."""
    served = []
    for part in row.get("results", "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        number = int(part) if part.isascii() and part.isdigit() else part
        served.append(
            draft.cells.find(
                draft.results,
                "strategies",
                row,
                "results",
                number,
                _("No result “%(number)s” in the sheet “%(sheet)s”.")
                % {"number": part, "sheet": draft.cells.sheet_title("results")},
            )
        )
    return served


def _strategies(draft):
    cells = draft.cells
    for row in cells.rows("strategies"):
        orientation = cells.find(
            draft.orientations,
            "strategies",
            row,
            "orientation",
            cells.integer("strategies", row, "orientation"),
            _("No orientation with this number in the sheet “%(sheet)s”.")
            % {"sheet": cells.sheet_title("orientations")},
        )
        order = cells.integer("strategies", row, "order")
        text = cells.text("strategies", row, "text", required=True)
        served = _served(draft, row)
        code = (row.get("orientation", ""), row.get("order", ""))
        if orientation is not MISSING and order is not MISSING:
            draft.strategies.setdefault(code, None)
        if MISSING in (orientation, order, text, *served):
            continue
        if draft.strategies[code] is not None:
            cells.error("strategies", row, "order", _already_used())
            continue
        strategy = draft.add(
            "strategies",
            row,
            Strategy(orientation=orientation, order=order, text=text),
            {"order": "order", "text": "text"},
        )
        if strategy is not None:
            draft.served.append((strategy, served))
        draft.strategies[code] = strategy


def _strategy_items(draft):
    cells = draft.cells
    for row in cells.rows("strategy_items"):
        code = (
            cells.text("strategy_items", row, "orientation", required=True),
            cells.text("strategy_items", row, "strategy", required=True),
        )
        strategy = cells.find(
            draft.strategies,
            "strategy_items",
            row,
            "strategy",
            MISSING if MISSING in code else code,
            _("No strategy %(order)s of orientation %(orientation)s in the sheet “%(sheet)s”.")
            % {"order": code[1], "orientation": code[0], "sheet": cells.sheet_title("strategies")},
        )
        letter = cells.text("strategy_items", row, "letter", required=True)
        text = cells.text("strategy_items", row, "text", required=True)
        if MISSING in (strategy, letter, text):
            continue
        draft.add(
            "strategy_items",
            row,
            StrategyItem(strategy=strategy, letter=letter, text=text),
            {"letter": "letter", "text": "text"},
        )


# In the order of their references: a sheet names only objects of the sheets before it.
SHEET_STEPS = (
    _values,
    _orientations,
    _results,
    _result_items,
    _dimensions,
    _indicators,
    _levels,
    _targets_in_kind,
    _strategies,
    _strategy_items,
)


def plan_import(*, rows, title, start_year, end_year, dry_run):
    """Check `read_workbook`'s rows for a new draft plan and, unless `dry_run`, create it:
    everything, or nothing.

    Returns a PlanImport listing every error by sheet, row and column (nothing is written
    when there is one, nor on a `dry_run`, which takes no lock either). Raises
    ValidationError when the plan itself cannot be created (title or years already used,
    years out of order).
    """
    result = PlanImport()
    draft = _Draft(SheetCells(rows, result.errors), result)
    _plan(draft, title=title, start_year=start_year, end_year=end_year)
    for step in SHEET_STEPS:
        step(draft)
    if not dry_run and result.is_valid:
        with transaction.atomic():
            draft.write()
    return result
