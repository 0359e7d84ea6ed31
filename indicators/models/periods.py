"""When values are due: the plan's reporting periods, and the target of each period."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models.definitions import Indicator
from indicators.rules.text_limits import COMMENT_MAX_CHARS, length_constraint, length_validators
from plan.models import StrategicPlan


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

    # Its verbose name shows in the permission lists (simple-history's own is not translated).
    history = HistoricalRecords(
        verbose_name=_("target (history)"), verbose_name_plural=_("targets (history)")
    )

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
