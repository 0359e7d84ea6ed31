"""A model's check constraints evaluated in Python on a row about to be written, as the
database would (SQL's three-valued logic: a constraint holds unless its condition is false).

Django's full_clean asks the database once per constraint and row; the write guard
(guard.rows_validate) asks here first, and the database only for the conditions this module
cannot read (`Unreadable`). The database's CHECK constraints stay the final guard. Only
Django and the standard library are imported.
"""

import operator
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Length
from django.db.models.lookups import Lookup


class Unreadable(Exception):
    """A condition this module does not evaluate (a join, a function it does not know…)."""


# Lookup name → comparison of a column's value with the right-hand side (neither None).
COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, choices: value in choices,
}


def _column(row: models.Model, name: str) -> Any:
    """The value `row` writes in the column of field `name` (a foreign key: its id)."""
    try:
        field = row._meta.get_field(name)
    except FieldDoesNotExist:  # "pk"…: not read here
        raise Unreadable(name) from None
    if not field.concrete or field.many_to_many:
        raise Unreadable(name)
    return getattr(row, field.attname)


def _operand(row: models.Model, expression: Any) -> Any:
    """The value of one side of a comparison: a column, its length, or a constant."""
    if isinstance(expression, F):
        return _column(row, expression.name)
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, Length):
        text = _operand(row, expression.get_source_expressions()[0])
        return None if text is None else len(str(text))
    if hasattr(expression, "resolve_expression"):
        raise Unreadable(repr(expression))
    return expression


def _compare(lookup: str, value: Any, other: Any) -> bool | None:
    """SQL's comparison: None (unknown) when a side is NULL."""
    if lookup == "isnull":
        return (value is None) == bool(other)
    if lookup == "exact" and other is None:  # Q(field=None) means IS NULL
        return value is None
    if lookup not in COMPARISONS:
        raise Unreadable(lookup)
    if value is None or other is None:
        return None
    try:
        return COMPARISONS[lookup](value, other)
    except TypeError:
        raise Unreadable(lookup) from None


def _child(row: models.Model, child: Any) -> bool | None:
    if isinstance(child, Q):
        return evaluate(row, child)
    if isinstance(child, tuple):
        path, other = child
        name, _sep, lookup = path.partition("__")
        return _compare(lookup or "exact", _column(row, name), _operand(row, other))
    if isinstance(child, Lookup):
        return _compare(child.lookup_name, _operand(row, child.lhs), _operand(row, child.rhs))
    raise Unreadable(repr(child))


def evaluate(row: models.Model, condition: Q) -> bool | None:
    """True, False or None (SQL's unknown) for `condition` on `row`; Unreadable when not
    known here."""
    results = [_child(row, child) for child in condition.children]
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if condition.negated and result is not None:
        result = not result
    return result


def condition_holds(row: models.Model, condition: Any) -> bool:
    """Whether a check constraint's `condition` holds for `row` (unknown holds, as in SQL)."""
    return evaluate(row, Q(condition)) is not False
