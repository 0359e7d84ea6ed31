"""What one reader may read through the API, as querysets: the one place that decides.

A signed-in person (token or session) reads the plans `StrategicPlan.readable_by` gives them
(the board: adopted plans; staff and administrators: drafts too) and, in them, everything
their view permissions open (checked by permissions.py). Without a token, a reader gets only
what the public page publishes: the public selectors decide, never rules written here.
"""

from indicators.models import Indicator, Measurement, ReportingPeriod, Target
from plan.models import Orientation, Result, StrategicPlan, Strategy


class Scope:
    """The querysets a reader may read (not yet filtered by the query string)."""

    def __init__(self, user):
        self.user = user
        self.anonymous = not user.is_authenticated

    def plans(self):
        if self.anonymous:
            return StrategicPlan.objects.none()
        return StrategicPlan.objects.readable_by(self.user)

    def orientations(self):
        return Orientation.objects.filter(plan__in=self.plans())

    def results(self):
        return Result.objects.filter(orientation__plan__in=self.plans())

    def strategies(self):
        return Strategy.objects.filter(orientation__plan__in=self.plans())

    def indicators(self):
        return Indicator.objects.filter(result__orientation__plan__in=self.plans())

    def periods(self):
        return ReportingPeriod.objects.filter(plan__in=self.plans())

    def targets(self):
        return Target.objects.filter(indicator__in=self.indicators(), period__in=self.periods())

    def measurements(self):
        return Measurement.objects.filter(
            indicator__in=self.indicators(), period__in=self.periods()
        )

    def shows_story(self, indicator_id):
        """Whether the story (narrative or « non mesuré » reason) of `indicator_id` is read."""
        return not self.anonymous
