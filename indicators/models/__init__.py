import datetime
import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from indicators.rules.text_limits import (
    COMMENT_MAX_CHARS,
    EXPLANATION_MAX_CHARS,
    NARRATIVE_MAX_CHARS,
    NOTE_MAX_CHARS,
    length_constraint,
    length_validators,
)
from plan.models import Result, StrategicPlan, Strategy


class Dimension(models.Model):
    """A reusable way to break a count down: "Type d'outil", "Région administrative"…"""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("breakdown dimension")
        verbose_name_plural = _("breakdown dimensions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="indicators_dimension_unique_name"),
        ]

    def __str__(self):
        return self.name


class Category(models.Model):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="categories", verbose_name=_("dimension")
    )
    name = models.CharField(_("name"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["dimension", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "name"], name="indicators_category_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class MeasureKind(models.TextChoices):
    COUNT = "count", _("count")
    COUNT_BY_CATEGORY = "count_by_category", _("count by category")
    LEVEL = "level", _("level on a scale")
    PERCENTAGE = "percentage", _("percentage")
    AMOUNT = "amount", _("amount in dollars")
    QUALITATIVE = "qualitative", _("qualitative (narrative only)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("higher is better")
    DECREASE = "decrease", _("lower is better")


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("yearly")
    SEMIANNUAL = "semiannual", _("twice a year")
    QUARTERLY = "quarterly", _("quarterly")
    MONTHLY = "monthly", _("monthly")
    END_OF_PLAN = "end_of_plan", _("at the end of the plan")


class IndicatorQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(result__orientation__plan=plan)

    def with_structure(self):
        return self.select_related("result__orientation__plan", "dimension", "responsible")


class Indicator(models.Model):
    result = models.ForeignKey(
        Result, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("result")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    wording = models.TextField(
        _("wording in the plan"),
        help_text=_("As written in the adopted plan; kept unchanged."),
    )
    # The precise definition that the plan's footnote promised.
    definition = models.TextField(_("precise definition"), blank=True)
    kind = models.CharField(
        _("kind of measure"), max_length=20, choices=MeasureKind, default=MeasureKind.QUALITATIVE
    )
    kind_is_proposal = models.BooleanField(
        _("kind is a proposal"),
        default=True,
        help_text=_("Proposed from the wording; untick once the kind has been confirmed."),
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.INCREASE
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("breakdown dimension"),
        help_text=_("Required for a count by category."),
    )
    is_cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_("Values add up across periods (otherwise each period stands alone)."),
    )
    frequency = models.CharField(
        _("collection frequency"), max_length=20, choices=Frequency, default=Frequency.ANNUAL
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators_responsible",
        verbose_name=_("responsible staff member"),
    )
    responsible_name = models.CharField(
        _("responsible (name shown)"),
        max_length=150,
        blank=True,
        help_text=_(
            "The person or team as the plan names them, shown instead of the account's name "
            "when filled. Reminders go to the staff member's account."
        ),
    )
    data_source = models.TextField(_("data source"), blank=True)
    method = models.TextField(_("collection method"), blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_period = models.ForeignKey(
        "ReportingPeriod",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("baseline period"),
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_comment = models.TextField(_("baseline comment"), blank=True)
    end_target_value = models.DecimalField(
        _("end-of-plan target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    end_target_comment = models.TextField(_("end-of-plan target comment"), blank=True)
    # Continuity between plans: the indicator this one was copied from (plan_copy sets it).
    # PROTECT: the earlier indicator holds the values shown for continuity; deleting it must
    # be deliberate (clear the link first), never a silent loss of the lineage.
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_over_to",
        verbose_name=_("carried over from"),
        help_text=_("The indicator of an earlier plan that this indicator continues."),
    )
    shows_earlier_values = models.BooleanField(
        _("show the earlier plan's values"),
        default=False,
        help_text=_(
            "Show the values of the indicator it was carried over from before this plan's, "
            "when both measure the same thing the same way."
        ),
    )
    # Plausibility (services.measurement_record asks the person to confirm a value beyond these).
    plausibility_factor = models.DecimalField(
        _("plausibility factor"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(3),
        help_text=_(
            "A value more than this many times the previous period's value, or less than its "
            "inverse, must be confirmed by the person who records it."
        ),
    )
    plausible_maximum = models.DecimalField(
        _("plausible maximum"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A value above this must be confirmed by the person who records it."),
    )

    PLAN_LOOKUP = "result__orientation__plan"

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["result__orientation__plan", "result__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "order"], name="indicators_indicator_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=MeasureKind.values), name="indicators_indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="indicators_indicator_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="indicators_indicator_frequency_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MeasureKind.COUNT_BY_CATEGORY) | Q(dimension__isnull=False),
                name="indicators_indicator_breakdown_has_dimension",
                violation_error_message=_("A count by category needs a breakdown dimension."),
            ),
            models.CheckConstraint(
                condition=Q(shows_earlier_values=False) | Q(carried_over_from__isnull=False),
                name="indicators_indicator_continuity_has_source",
                violation_error_message=_(
                    "Only an indicator carried over from an earlier plan can show its values."
                ),
            ),
            models.CheckConstraint(
                condition=Q(plausibility_factor__gt=1),
                name="indicators_indicator_plausibility_factor_above_one",
                violation_error_message=_("The plausibility factor must be greater than 1."),
            ),
        ]

    def __str__(self):
        return self.wording

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", args=[self.pk])

    @property
    def code(self):
        """A stable code across databases and files: result number.order ("1.2")."""
        return f"{self.result.number}.{self.order}"

    def clean(self):
        source = self.carried_over_from
        if source is None or self.result_id is None:
            return
        if source.pk == self.pk or source.plan.pk == self.result.orientation.plan_id:
            raise ValidationError({"carried_over_from": _("Choose an indicator of another plan.")})
        if self.shows_earlier_values and (
            source.kind != self.kind or source.dimension_id != self.dimension_id
        ):
            raise ValidationError(
                {
                    "shows_earlier_values": _(
                        "The earlier indicator is measured differently (kind or breakdown "
                        "dimension): its values cannot be shown with this one's."
                    )
                }
            )

    @property
    def plan(self):
        return self.result.orientation.plan

    @property
    def responsible_label(self):
        """The name shown for the responsible person: the free text, else the account's name."""
        if self.responsible_name:
            return self.responsible_name
        if self.responsible_id is None:
            return ""
        return self.responsible.get_full_name() or self.responsible.get_username()

    @property
    def kind_spec(self):
        """The kind's rules (indicators/kinds.py): cleaning, targets, display, form, chart…"""
        # kinds.py builds on this module, so it is imported when first asked for.
        from indicators.rules.kinds import kind_of

        return kind_of(self)

    @property
    def is_qualitative(self):
        return self.kind_spec.is_qualitative

    @property
    def has_levels(self):
        return self.kind_spec.has_levels

    @property
    def has_categories(self):
        return self.kind_spec.has_categories

    @property
    def plan_label(self):
        """The wording named with its plan (select the plan with PLAN_LOOKUP)."""
        return self.plan.label(self)


class ScaleLevel(models.Model):
    """One level of an ordinal indicator's rubric, with its French label and description."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="levels", verbose_name=_("indicator")
    )
    value = models.PositiveSmallIntegerField(_("level"))
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["indicator", "value"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "value"], name="indicators_level_unique"),
        ]

    def __str__(self):
        return f"{self.value} – {self.label}"


class ReportingPeriodQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(plan=plan)

    def containing(self, day):
        return self.filter(start_date__lte=day, end_date__gte=day)


class ReportingPeriod(models.Model):
    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.PROTECT, related_name="periods", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Staff can no longer change the values of a locked period."),
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_(
            "Date by which the period's values are due. Empty: the default number of days "
            "after the end date (setting REPORTING_DUE_DAYS)."
        ),
    )

    PLAN_LOOKUP = "plan"

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="indicators_period_unique_name"),
            models.UniqueConstraint(
                fields=["plan", "start_date"], name="indicators_period_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="indicators_period_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=models.F("end_date")),
                name="indicators_period_due_not_before_end",
                violation_error_message=_("The due date cannot be before the end date."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def due_on(self):
        """The day the values are due: the period's own due date, else the default delay."""
        if self.due_date is not None:
            return self.due_date
        return self.end_date + datetime.timedelta(days=settings.REPORTING_DUE_DAYS)

    @property
    def plan_label(self):
        """« 2018-2023 · 2020-2021 » (select the plan with PLAN_LOOKUP)."""
        return self.plan.label(self)

    def clean(self):
        if self.plan_id is None or self.start_date is None or self.end_date is None:
            return
        if self.end_date < self.start_date:
            raise ValidationError(_("The end date cannot be before the start date."))
        overlapping = ReportingPeriod.objects.filter(
            plan_id=self.plan_id, start_date__lte=self.end_date, end_date__gte=self.start_date
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError(
                _("This period overlaps the period “%(other)s” of the same plan.")
                % {"other": overlapping.first().name}
            )


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="targets", verbose_name=_("period")
    )
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    comment = models.TextField(
        _("comment"),
        blank=True,
        max_length=COMMENT_MAX_CHARS,
        validators=length_validators(COMMENT_MAX_CHARS),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "period__start_date"]
        # Given to no role by default: an administrator grants it to a person or a group.
        permissions = [("edit_targets", _("Can edit a plan's targets in the targets grid"))]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="indicators_target_unique"
            ),
            length_constraint(
                "comment", COMMENT_MAX_CHARS, name="indicators_target_comment_length"
            ),
        ]

    def __str__(self):
        return f"{self.period.plan_label} – {self.indicator}: {self.value}"


class MeasurementStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    NOT_MEASURED = "not_measured", _("not measured / not applicable")


class MeasurementQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(indicator__result__orientation__plan=plan)

    def with_details(self):
        return self.select_related(
            "indicator__result__orientation", "period", "recorded_by", "updated_by"
        ).prefetch_related("breakdowns__category")


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

    objects = MeasurementQuerySet.as_manager()
    history = HistoricalRecords()

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
        ]

    def __str__(self):
        return f"{self.period.plan_label} – {self.indicator}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def is_not_measured(self):
        return self.status == MeasurementStatus.NOT_MEASURED


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

    history = HistoricalRecords()

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
        verbose_name_plural = _("evidence")
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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy progress")
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


# --- E-mail: each person's preferences and every message sent ------------------------------


class ProfileLanguage(models.TextChoices):
    FRENCH = "fr-ca", _("French")
    ENGLISH = "en", _("English")


REMINDER_DAYS_BEFORE_MAX = 60


def default_reminder_days_before():
    return settings.REMINDER_DAYS_BEFORE


class Profile(models.Model):
    """A person's own settings: the language of their e-mails, reminders, the board digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=ProfileLanguage,
        default=ProfileLanguage.FRENCH,
    )
    reminders_enabled = models.BooleanField(
        _("send me reminders"),
        default=True,
        help_text=_("Before the due date of a period, on that date, then weekly while late."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("days of notice"),
        default=default_reminder_days_before,
        validators=[MinValueValidator(1), MaxValueValidator(REMINDER_DAYS_BEFORE_MAX)],
        help_text=_("How many days before the due date the first reminder arrives."),
    )
    board_digest_opt_in = models.BooleanField(
        _("send me the board digest"),
        default=False,
        help_text=_("One e-mail when a meeting pack is ready: summary and points to watch."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=ProfileLanguage.values),
                name="indicators_profile_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__gte=1)
                & Q(reminder_days_before__lte=REMINDER_DAYS_BEFORE_MAX),
                name="indicators_profile_days_before_in_range",
            ),
        ]

    def __str__(self):
        return self.user.get_username()


class EmailKind(models.TextChoices):
    REMINDER_BEFORE = "reminder_before", _("reminder before the due date")
    REMINDER_DUE = "reminder_due", _("reminder on the due date")
    REMINDER_OVERDUE = "reminder_overdue", _("weekly reminder while late")
    BOARD_DIGEST = "board_digest", _("board digest")
    PASSWORD_RESET = "password_reset", _("password reset")


REMINDER_KINDS = [
    EmailKind.REMINDER_BEFORE,
    EmailKind.REMINDER_DUE,
    EmailKind.REMINDER_OVERDUE,
]


class EmailStatus(models.TextChoices):
    SENDING = "sending", _("being sent")
    DELIVERED = "delivered", _("delivered")
    ERROR = "error", _("error")


class OutgoingEmail(models.Model):
    """One e-mail to one person: what, when, and whether the mail server accepted it.

    A reminder (person, kind, period, week) and a digest (person, reference) exist once: a
    failed one is retried by updating its row, so nobody gets the same message twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="emails_received",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind)
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period"),
    )
    sequence = models.PositiveSmallIntegerField(
        _("week late"), default=0, help_text=_("1, 2… for the weekly reminders; 0 otherwise.")
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("What a digest is about, e.g. the meeting pack."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=EmailStatus)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), help_text=_("Time of the last attempt."))
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period", "sequence"],
                condition=Q(kind__in=REMINDER_KINDS),
                name="indicators_outgoingemail_one_reminder",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "reference"],
                condition=Q(kind=EmailKind.BOARD_DIGEST),
                name="indicators_outgoingemail_one_digest",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EmailKind.values), name="indicators_outgoingemail_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values),
                name="indicators_outgoingemail_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=REMINDER_KINDS) | Q(period__isnull=False),
                name="indicators_outgoingemail_reminder_has_period",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address} ({self.get_status_display()})"
