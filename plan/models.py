from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Who reads draft plans: the role given « read_draft_plans » (staff, see PlanConfig.roles) and
# the administrators who edit plans.
DRAFT_READERS = ("plan.read_draft_plans", "plan.change_strategicplan")


def reads_drafts(user):
    """Whether `user` reads draft plans (a superuser has every permission)."""
    return any(user.has_perm(permission) for permission in DRAFT_READERS)


class StrategicPlanQuerySet(models.QuerySet):
    def current(self):
        """The plan the app shows by default (at most one, a database constraint)."""
        return self.filter(is_current=True).first()

    def adopted(self):
        """The plans the board reads: all but the drafts, i.e. the plans newer than the current
        one that are neither current nor closed (a copy or an import being prepared). Without
        a current plan, no plan is a draft."""
        current = self.model.objects.filter(is_current=True)
        return self.filter(
            Q(is_current=True)
            | Q(is_closed=True)
            | Q(start_year__lt=Subquery(current.values("start_year")[:1]))
            | ~Exists(current)
        )

    def readable_by(self, user):
        """Every plan for staff and administrators; the adopted plans for the board."""
        return self if reads_drafts(user) else self.adopted()


class StrategicPlan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    is_current = models.BooleanField(
        _("current plan"),
        default=False,
        help_text=_("The plan shown by default. Only one plan can be current."),
    )
    is_closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_(
            "A closed plan is read-only: staff can no longer record values into its periods."
        ),
    )
    # The public progress page (indicators/public): opt-in, and never for a draft plan.
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Show this plan and its published indicators on the public progress page, "
            "without login. A draft plan is never shown, even when ticked."
        ),
    )
    publishes_locked_periods_only = models.BooleanField(
        _("publish locked periods only"),
        default=True,
        help_text=_(
            "The public page shows only the values and targets of locked periods. Untick to "
            "also show those of periods still open."
        ),
    )
    mission = models.TextField(_("mission"), blank=True)
    intentions_intro = models.TextField(_("introduction to the intentions"), blank=True)
    intentions = models.TextField(_("intentions"), blank=True, help_text=_("One per line."))
    approach = models.TextField(_("approach"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    distinctive_strengths = models.TextField(
        _("distinctive strengths"), blank=True, help_text=_("One per line.")
    )
    preamble = models.TextField(_("preamble"), blank=True)
    indicators_footnote = models.TextField(_("footnote on the indicators"), blank=True)
    document_author = models.CharField(_("document author"), max_length=200, blank=True)
    document_date = models.CharField(_("document date"), max_length=100, blank=True)
    # Status thresholds of the dashboard, as a percentage of the way from baseline to target.
    on_track_threshold = models.PositiveSmallIntegerField(
        _("“on track” threshold (%)"),
        default=95,
        help_text=_("From this share of the way to the target, an indicator is on track."),
    )
    watch_threshold = models.PositiveSmallIntegerField(
        _("“to watch” threshold (%)"),
        default=85,
        help_text=_("Below this share of the way to the target, an indicator is late."),
    )
    # The validation step (indicators/validation): off, values are shown as recorded.
    validation_enabled = models.BooleanField(
        _("values need validation"),
        default=False,
        help_text=_(
            "A value recorded or corrected is “to validate” until a coordinator validates it."
        ),
    )
    self_validation_allowed = models.BooleanField(
        _("people may validate their own values"),
        default=False,
        help_text=_("For very small teams; the history then says “self-validated”."),
    )
    lock_requires_validation = models.BooleanField(
        _("locking a period requires every value validated"),
        default=False,
    )
    # Bumped on commit by every write that changes what the plan shows (plan/versions.py);
    # the board's cached pages are keyed on it.
    data_version = models.PositiveBigIntegerField(_("data version"), default=0, editable=False)

    objects = StrategicPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        ordering = ["-start_year", "title"]
        permissions = [("read_draft_plans", _("Can read draft plans"))]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="plan_strategicplan_one_current",
                violation_error_message=_("Another plan is already the current plan."),
            ),
            models.UniqueConstraint(fields=["title"], name="plan_strategicplan_unique_title"),
            # The years name a plan in every label that can span plans (« 2018-2023 · … »).
            models.UniqueConstraint(
                fields=["start_year", "end_year"],
                name="plan_strategicplan_unique_years",
                violation_error_message=_("Another plan already covers these years."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="plan_strategicplan_years_in_order",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
            models.CheckConstraint(
                condition=Q(watch_threshold__lte=models.F("on_track_threshold"))
                & Q(on_track_threshold__lte=100),
                name="plan_strategicplan_thresholds_in_order",
                violation_error_message=_("Thresholds must satisfy: to watch ≤ on track ≤ 100."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan:plan_detail")

    @property
    def years(self):
        """The plan's short name, unique among plans: « 2018-2023 »."""
        return f"{self.start_year}-{self.end_year}"

    def label(self, text):
        """`text` named with this plan, for any list that can span plans."""
        return f"{self.years} · {text}"

    def other_plans(self, user):
        """The other plans `user` may read, newest first (the board's plan switcher)."""
        return (
            StrategicPlan.objects.readable_by(user)
            .exclude(pk=self.pk)
            .only("title", "start_year", "end_year", "is_current", "is_closed")
        )

    def intention_list(self):
        return [line for line in self.intentions.splitlines() if line.strip()]

    def strength_list(self):
        return [line for line in self.distinctive_strengths.splitlines() if line.strip()]


class ValueCategory(models.TextChoices):
    BEING = "savoir_etre", _("interpersonal values (savoir-être)")
    DOING = "savoir_faire", _("professional values (savoir-faire)")


class OrganisationalValue(models.Model):
    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="values", verbose_name=_("plan")
    )
    category = models.CharField(_("category"), max_length=20, choices=ValueCategory)
    name = models.CharField(_("name"), max_length=100)
    definition = models.TextField(_("definition"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organisational value")
        verbose_name_plural = _("organisational values")
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="plan_value_unique_name"),
            models.CheckConstraint(
                condition=Q(category__in=ValueCategory.values), name="plan_value_category_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Orientation(models.Model):
    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name=_("plan"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("title"))

    # The path to the plan, for lists that name it (plan_label).
    PLAN_LOOKUP = "plan"

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plan_orientation_unique_number",
                violation_error_message=_("This plan already has an orientation with this number."),
            ),
        ]

    def __str__(self):
        return _("Orientation %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("board:orientation_detail", args=[self.pk])

    @property
    def plan_label(self):
        """« 2018-2023 · Orientation 1 » (select the plan with PLAN_LOOKUP)."""
        return self.plan.label(self)


class Result(models.Model):
    """A "résultat visé": numbered across the whole plan, not within its orientation."""

    orientation = models.ForeignKey(
        Orientation, on_delete=models.PROTECT, related_name="results", verbose_name=_("orientation")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    statement = models.TextField(_("statement"))

    PLAN_LOOKUP = "orientation__plan"

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["orientation__plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["orientation", "number"], name="plan_result_unique_number"
            ),
        ]

    def __str__(self):
        return _("Result %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("board:result_detail", args=[self.pk])

    def clean(self):
        # Numbers run across the plan: unique among all the plan's orientations.
        if self.orientation_id is None or self.number is None:
            return
        clash = Result.objects.filter(
            orientation__plan_id=self.orientation.plan_id, number=self.number
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"number": _("This plan already has a result with this number.")})

    @property
    def plan_label(self):
        """« 2018-2023 · Résultat 1 » (select the plan with PLAN_LOOKUP)."""
        return self.orientation.plan.label(self)


class ResultItem(models.Model):
    """A lettered sub-item of a result: a), b)…"""

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="items", verbose_name=_("result")
    )
    letter = models.CharField(_("letter"), max_length=2)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("result sub-item")
        verbose_name_plural = _("result sub-items")
        ordering = ["result", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["result", "letter"], name="plan_resultitem_unique"),
        ]

    def __str__(self):
        return f"{self.letter}) {self.text}"


class Strategy(models.Model):
    orientation = models.ForeignKey(
        Orientation,
        on_delete=models.PROTECT,
        related_name="strategies",
        verbose_name=_("orientation"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    results = models.ManyToManyField(
        Result,
        related_name="strategies",
        blank=True,
        verbose_name=_("results served"),
        help_text=_("A strategy can serve results of other orientations (nested framework)."),
    )

    PLAN_LOOKUP = "orientation__plan"

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["orientation__plan", "orientation__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["orientation", "order"], name="plan_strategy_unique"),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("board:orientation_detail", args=[self.orientation_id])

    @property
    def plan_label(self):
        """The strategy's text named with its plan (select the plan with PLAN_LOOKUP)."""
        return self.orientation.plan.label(self)


class StrategyItem(models.Model):
    """A lettered sub-item of a strategy: a), b)…"""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="items", verbose_name=_("strategy")
    )
    letter = models.CharField(_("letter"), max_length=2)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("strategy sub-item")
        verbose_name_plural = _("strategy sub-items")
        ordering = ["strategy", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "letter"], name="plan_strategyitem_unique"),
        ]

    def __str__(self):
        return f"{self.letter}) {self.text}"
