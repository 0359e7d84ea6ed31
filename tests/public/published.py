"""Publishing the 2018-2023 plan for the public pages' tests (also used by test_html_valid)."""

from indicators.models import MeasureKind, MeasurementStatus, ReportingPeriod
from tests import codes, factories


def publish(indicator, *, story=True):
    indicator.is_published = True
    indicator.story_is_published = story
    indicator.save()
    return indicator


def publish_plan(plan, staff_user):
    """`plan` published, its first two periods locked; indicators 2.1 (a count, target reached
    in 2019-2020, a public story), 1.3 (a level, not measured) and 6.3 (a narrative) published."""
    plan.is_published = True
    plan.save()
    ReportingPeriod.objects.filter(plan=plan, name__in=["2018-2019", "2019-2020"]).update(
        is_locked=True
    )
    first, second = codes.period("2018-2019"), codes.period("2019-2020")
    count = codes.indicator("2.1")
    count.kind = MeasureKind.COUNT
    count.unit = "partenaires"
    publish(count)
    factories.target(count, second, 12)
    factories.measurement(count, first, staff_user, 6, narrative="Six partenaires au départ.")
    factories.measurement(count, second, staff_user, 12, narrative="Cible atteinte en 2019.")
    level = publish(codes.indicator("1.3"))
    factories.measurement(
        level,
        second,
        staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Sondage reporté.",
    )
    narrative = publish(codes.indicator("6.3"))
    factories.measurement(narrative, second, staff_user, narrative="Le rôle est reconnu.")
    return plan
