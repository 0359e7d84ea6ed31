"""What an indicator is: its breakdown dimensions and categories, the indicator, its scale."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from indicators.rules.choices import Direction, MeasureKind
from indicators.rules.kinds import kind_of
from plan.models import Result


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
        help_text=_(
            "The indicator's wording, as everyone will read it. For an indicator of the "
            "adopted plan, copy the plan's words unchanged."
        ),
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

    # The public progress page (indicators/public) shows only what is ticked here.
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Show this indicator (wording, status, value, target and chart) on the public "
            "progress page of its plan, when the plan is published."
        ),
    )
    story_is_published = models.BooleanField(
        _("story published"),
        default=False,
        help_text=_(
            "Also show the period's story (or why it was not measured) on the public page. "
            "Leave unticked to keep it internal."
        ),
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
                condition=Q(is_published=True) | Q(story_is_published=False),
                name="indicators_indicator_story_published_with_indicator",
                violation_error_message=_(
                    "A story can be published only with its indicator: publish the indicator too."
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
        """The kind's rules (indicators.rules.kinds): cleaning, targets, display, form, chart…"""
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
