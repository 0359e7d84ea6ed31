"""What one reader may read through the API, as querysets: the one place that decides.

A signed-in person (token or session) reads the plans `StrategicPlan.readable_by` gives them
(the board: adopted plans; staff and administrators: drafts too) and, in them, everything
their view permissions open (checked by permissions.py). Without a token, a reader gets only
what the public page publishes: the public selectors (indicators.public.selectors) decide,
plan by plan; nothing here adds a publication rule of its own.
"""

from django.db.models import Q
from django.utils.functional import cached_property

from indicators.models import Indicator, Measurement, ReportingPeriod, Target
from indicators.public import selectors as public
from plan.models import Orientation, Result, StrategicPlan, Strategy


class Scope:
    """The querysets a reader may read (not yet filtered by the query string)."""

    def __init__(self, user):
        self.user = user
        self.anonymous = not user.is_authenticated

    @cached_property
    def _published_plans(self):
        return list(public.published_plans().order_by("pk"))

    def _each_published_plan(self, selector):
        """The rows `selector(plan)` gives for any published plan, as one condition."""
        condition = Q(pk__in=[])
        for plan in self._published_plans:
            condition |= Q(pk__in=selector(plan).order_by().values("pk"))
        return condition

    def plans(self):
        if self.anonymous:
            return public.published_plans()
        return StrategicPlan.objects.readable_by(self.user)

    def orientations(self):
        return Orientation.objects.filter(plan__in=self.plans())

    def results(self):
        return Result.objects.filter(orientation__plan__in=self.plans())

    def strategies(self):
        return Strategy.objects.filter(orientation__plan__in=self.plans())

    def indicators(self):
        if self.anonymous:
            return Indicator.objects.filter(self._each_published_plan(public.published_indicators))
        return Indicator.objects.filter(result__orientation__plan__in=self.plans())

    def periods(self):
        if self.anonymous:
            return ReportingPeriod.objects.filter(self._each_published_plan(public.public_periods))
        return ReportingPeriod.objects.filter(plan__in=self.plans())

    def targets(self):
        # Public targets are those of published indicators in public periods
        # (public.public_targets); a reader's, those of the indicators and periods they read.
        return Target.objects.filter(indicator__in=self.indicators(), period__in=self.periods())

    def measurements(self):
        if self.anonymous:
            return Measurement.objects.filter(
                self._each_published_plan(public.published_measurements)
            )
        return Measurement.objects.filter(
            indicator__in=self.indicators(), period__in=self.periods()
        )

    def shows_story(self, indicator):
        """Whether the story (narrative or « non mesuré » reason) of `indicator` is read:
        without a token, only a published story (as public.published_values shows it)."""
        return not self.anonymous or indicator.story_is_published

    def shows_indicator_field(self, name):
        """Whether an indicator's field `name` is read: without a token, only the fields
        the public side shows (public.PUBLIC_INDICATOR_FIELDS)."""
        return not self.anonymous or name in public.PUBLIC_INDICATOR_FIELDS
