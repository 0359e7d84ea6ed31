"""Indicator kinds: one class per kind of measure, owning every rule that depends on the kind.

Each kind declares how a recorded value is cleaned, how a target is checked, how a value is
shown, which fields the measurement form has, what its chart shows (a ChartSpec that
indicators.charts draws), what the board's status rule needs to know, and its cells in the
export and the import. Code elsewhere asks the kind (`indicator.kind_spec`, or `kind_of(x)`
for anything with a `kind` attribute); it never branches on the kind's value.

A new kind is one module here, imported below, and its member of `MeasureKind` (which the
database's check constraint lists). May import: indicators.rules only.
"""

from indicators.rules.kinds.amount import AmountKind as AmountKind
from indicators.rules.kinds.base import Breakdown as Breakdown
from indicators.rules.kinds.base import ImportCells as ImportCells
from indicators.rules.kinds.base import ImportReading as ImportReading
from indicators.rules.kinds.base import ImportRow as ImportRow
from indicators.rules.kinds.base import IndicatorKind as IndicatorKind
from indicators.rules.kinds.count import CountKind as CountKind
from indicators.rules.kinds.count_by_category import CountByCategoryKind as CountByCategoryKind
from indicators.rules.kinds.level import LevelKind as LevelKind
from indicators.rules.kinds.percentage import PercentageKind as PercentageKind
from indicators.rules.kinds.qualitative import QualitativeKind as QualitativeKind
from indicators.rules.kinds.registry import KINDS as KINDS
from indicators.rules.kinds.registry import kind_of as kind_of
from indicators.rules.kinds.registry import register as register
