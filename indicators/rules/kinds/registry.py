"""The registry of kinds: each kind's class is registered under the value it is stored as."""

from typing import Any

from indicators.rules.kinds.base import IndicatorKind

KINDS: dict[str, IndicatorKind] = {}


def register(kind_class: type[IndicatorKind]) -> type[IndicatorKind]:
    """Class decorator: make `kind_class` the kind stored as `kind_class.key`."""
    KINDS[kind_class.key] = kind_class()
    return kind_class


def kind_of(indicator: Any) -> IndicatorKind:
    """The kind of an indicator (or of anything with a `kind` attribute, or of a kind's key)."""
    return KINDS[getattr(indicator, "kind", indicator)]
