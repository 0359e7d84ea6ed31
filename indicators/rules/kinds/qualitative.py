"""A narrative only: no number, no target, no status against a target, no chart."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.rules.choices import MeasureKind
from indicators.rules.formatting import Formatter
from indicators.rules.kinds.base import Breakdown, IndicatorKind
from indicators.rules.kinds.registry import register


@register
class QualitativeKind(IndicatorKind):
    """A narrative only: no number, no target, no status against a target."""

    key = MeasureKind.QUALITATIVE.value
    label = MeasureKind.QUALITATIVE.label
    is_qualitative = True
    is_assessed = False
    has_chart = False
    checks_plausibility = False

    def clean(
        self, indicator: Any, *, value: Decimal | None, breakdown: Breakdown, narrative: str
    ) -> tuple[Decimal | None, Breakdown]:
        if not (narrative or "").strip():
            raise ValidationError({"narrative": _("Describe what was observed.")})
        return None, {}

    def target_problem(
        self, indicator: Any, value: Decimal, *, levels: Iterable[int] | None = None
    ) -> str | None:
        return _("A qualitative indicator has no numeric target or baseline.")

    def measured_text(
        self, measurement: Any, indicator: Any, *, fmt: Formatter | None = None
    ) -> str:
        return measurement.narrative

    def add_form_fields(self, form: forms.Form, *, indicator: Any, measurement: Any) -> None:
        form.fields["narrative"].label = _("Narrative (what was observed)")
        form.fields["narrative"].widget.attrs["rows"] = 6
