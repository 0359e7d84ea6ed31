"""What was recorded: a value per indicator and period, its breakdown, its evidence, and
the state of each strategy."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from indicators.models.definitions import Category, Indicator
from indicators.models.periods import ReportingPeriod
from indicators.rules.choices import UNVALIDATED_STATES, MeasurementStatus, MeasurementValidation
from indicators.rules.text_limits import (
    COMMENT_MAX_CHARS,
    EXPLANATION_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    NOTE_MAX_CHARS,
    length_constraint,
    length_validators,
)
from plan.models import Strategy


class MeasurementQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(indicator__result__orientation__plan=plan)

    def awaiting_validation(self):
        """The values a coordinator has to validate or return (« à valider »)."""
        return self.filter(validation_state=MeasurementValidation.PENDING)

    def unvalidated(self):
        """The values the board sees marked « non validée »: to validate, or returned."""
        return self.filter(validation_state__in=UNVALIDATED_STATES)

    def publishable(self):
        """The values shown outside (public page, open API): all but those « à valider » or
        « retournée ». With the validation step off every value is shown."""
        return self.exclude(validation_state__in=UNVALIDATED_STATES)


class Measurement(models.Model):
    """The current value of one indicator for one period; earlier versions live in history."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("period"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasurementStatus, default=MeasurementStatus.RECORDED
    )
    # For a count by category, the total of the breakdown (derived by the service, never typed).
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(
        _("narrative"),
        blank=True,
        max_length=NARRATIVE_MAX_CHARS,
        validators=length_validators(NARRATIVE_MAX_CHARS),
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Why the indicator was not measured."),
        max_length=EXPLANATION_MAX_CHARS,
        validators=length_validators(EXPLANATION_MAX_CHARS),
    )
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=COMMENT_MAX_CHARS,
        validators=length_validators(COMMENT_MAX_CHARS),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"))
    # Optimistic concurrency: a save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The plausibility check the person confirmed for this version ("" when none was needed);
    # saved with the measurement, so the history keeps it.
    plausibility_confirmation = models.TextField(
        _("confirmed plausibility check"), blank=True, editable=False
    )
    # The plan's validation step (StrategicPlan.validation_enabled): set by the services only.
    validation_state = models.CharField(
        _("validation"),
        max_length=20,
        choices=MeasurementValidation,
        default=MeasurementValidation.NOT_REQUIRED,
        editable=False,
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("validated or returned by"),
    )
    validated_at = models.DateTimeField(
        _("validated or returned at"), null=True, blank=True, editable=False
    )
    return_comment = models.TextField(
        _("why it was returned"),
        blank=True,
        editable=False,
        max_length=COMMENT_MAX_CHARS,
        validators=length_validators(COMMENT_MAX_CHARS),
    )

    objects = MeasurementQuerySet.as_manager()
    # Its verbose name shows in the permission lists (simple-history's own is not translated).
    history = HistoricalRecords(
        verbose_name=_("measurement (history)"), verbose_name_plural=_("measurements (history)")
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="indicators_measurement_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeasurementStatus.values),
                name="indicators_measurement_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeasurementStatus.NOT_MEASURED) | ~Q(explanation=""),
                name="indicators_measurement_not_measured_explained",
                violation_error_message=_("Explain why the indicator was not measured."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="indicators_measurement_value_not_negative",
            ),
            length_constraint(
                "narrative", NARRATIVE_MAX_CHARS, name="indicators_measurement_narrative_length"
            ),
            length_constraint(
                "explanation",
                EXPLANATION_MAX_CHARS,
                name="indicators_measurement_explanation_length",
            ),
            length_constraint(
                "comment", COMMENT_MAX_CHARS, name="indicators_measurement_comment_length"
            ),
            length_constraint(
                "return_comment",
                COMMENT_MAX_CHARS,
                name="indicators_measurement_return_comment_length",
            ),
            models.CheckConstraint(
                condition=Q(validation_state__in=MeasurementValidation.values),
                name="indicators_measurement_validation_state_valid",
            ),
            # Validated or returned: by whom and when is known; returned: why.
            models.CheckConstraint(
                condition=~Q(
                    validation_state__in=[
                        MeasurementValidation.VALIDATED,
                        MeasurementValidation.RETURNED,
                    ]
                )
                | (Q(validated_by__isnull=False) & Q(validated_at__isnull=False)),
                name="indicators_measurement_validation_who_when",
            ),
            models.CheckConstraint(
                condition=~Q(validation_state=MeasurementValidation.RETURNED)
                | ~Q(return_comment=""),
                name="indicators_measurement_returned_explained",
                violation_error_message=_("Say why the value is returned."),
            ),
        ]
        permissions = [("validate_measurement", _("Can validate recorded values"))]

    def __str__(self):
        return f"{self.period.plan_label} – {self.indicator}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def is_not_measured(self):
        return self.status == MeasurementStatus.NOT_MEASURED

    @property
    def is_validated(self):
        return self.validation_state == MeasurementValidation.VALIDATED

    @property
    def is_unvalidated(self):
        """Marked « non validée » for the board: to validate, or returned to its author."""
        return self.validation_state in UNVALIDATED_STATES


class MeasurementBreakdown(models.Model):
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        related_name="breakdowns",
        verbose_name=_("measurement"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="breakdowns", verbose_name=_("category")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    history = HistoricalRecords(
        verbose_name=_("breakdown value (history)"),
        verbose_name_plural=_("breakdown values (history)"),
    )

    class Meta:
        verbose_name = _("breakdown value")
        verbose_name_plural = _("breakdown values")
        ordering = ["measurement", "category__order", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "category"], name="indicators_breakdown_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="indicators_breakdown_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.value}"


def evidence_upload_to(instance, filename):
    # Unguessable stored name; the original name is kept in the database only.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("measurement"),
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    uploaded_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence files")
        ordering = ["measurement", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="indicators_evidence_file_or_link",
                violation_error_message=_("Attach a file or give a link."),
            ),
        ]

    def __str__(self):
        return self.original_name or self.url


class StrategyState(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("completed")
    ABANDONED = "abandoned", _("abandoned")


# The words shown for a strategy's state (with a context: the French agrees with "stratégie").
STRATEGY_STATE_LABELS = {
    StrategyState.NOT_STARTED: pgettext_lazy("strategy state", "not started"),
    StrategyState.IN_PROGRESS: pgettext_lazy("strategy state", "in progress"),
    StrategyState.DONE: pgettext_lazy("strategy state", "completed"),
    StrategyState.ABANDONED: pgettext_lazy("strategy state", "abandoned"),
}
NO_STATE_LABEL = _("no state recorded")


def strategy_state_label(state):
    """The word of a strategy's state, or "no state recorded"."""
    return STRATEGY_STATE_LABELS.get(state, NO_STATE_LABEL)


class StrategyProgress(models.Model):
    """The state of a strategy at the end of a period, with a dated note by staff."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="progress", verbose_name=_("strategy")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="strategy_progress",
        verbose_name=_("period"),
    )
    state = models.CharField(_("state"), max_length=20, choices=StrategyState)
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=NOTE_MAX_CHARS,
        validators=length_validators(NOTE_MAX_CHARS),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # Optimistic concurrency, as for values: +1 on every save.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords(
        verbose_name=_("strategy state (history)"),
        verbose_name_plural=_("strategy states (history)"),
    )

    class Meta:
        verbose_name = _("strategy state")
        verbose_name_plural = _("strategy progress")
        ordering = ["strategy", "period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "period"], name="indicators_strategyprogress_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=StrategyState.values),
                name="indicators_strategyprogress_state_valid",
            ),
            length_constraint(
                "note", NOTE_MAX_CHARS, name="indicators_strategyprogress_note_length"
            ),
        ]

    def __str__(self):
        return f"{self.period.plan_label} – {self.strategy}: {self.get_state_display()}"
