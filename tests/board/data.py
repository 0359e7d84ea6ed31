"""Board test data: the 2018-2023 plan with a few values, targets and stories (unit and browser
tests share it)."""

from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from indicators.models import Indicator, MeasurementStatus, ReportingPeriod, Target
from indicators.recording.services import measurement_record

LATE_STORY = (
    "Départ de deux employées en cours d'année : les ateliers prévus en région ont été reportés "
    "à l'automne, et la collecte auprès des partenaires n'a repris qu'en février."
)


def make_board_data(plan_2018_2023, staff_user):
    """2019-2020: a late count with a long story, a level 3 against a target of 4, a
    cumulative count reached, a not-measured answer; 2018-2019: the level and the count."""
    plan = plan_2018_2023
    periods = {p.name: p for p in ReportingPeriod.objects.filter(plan=plan)}
    indicators = Indicator.objects.of_plan(plan)
    late = indicators.get(result__number=2, order=1)  # collaborators: count by category
    level = indicators.get(wording__startswith="Niveau d'appropriation")
    cumulative = indicators.get(wording__startswith="Nombre et types d'outils")
    unmeasured = indicators.get(result__number=1, order=1)
    first, second = periods["2018-2019"], periods["2019-2020"]
    for indicator, period, value in [
        (late, first, 10),
        (late, second, 40),
        (level, first, 3),
        (level, second, 4),
        (cumulative, first, 10),
        (cumulative, second, 10),
    ]:
        Target.objects.create(indicator=indicator, period=period, value=Decimal(value))
    categories = {
        i.pk: list(i.dimension.categories.all()) for i in (late, cumulative) if i.dimension_id
    }

    def by_category(indicator, total):
        return {categories[indicator.pk][0].pk: total}

    measurement_record(
        indicator=late, period=first, user=staff_user, breakdown=by_category(late, 12)
    )
    measurement_record(
        indicator=late,
        period=second,
        user=staff_user,
        breakdown=by_category(late, 20),
        narrative=LATE_STORY,
    )
    measurement_record(indicator=level, period=first, user=staff_user, value=Decimal(2))
    measurement_record(
        indicator=level,
        period=second,
        user=staff_user,
        value=Decimal(3),
        narrative="Les outils sont testés par trois réseaux.",
    )
    measurement_record(
        indicator=cumulative, period=first, user=staff_user, breakdown=by_category(cumulative, 6)
    )
    measurement_record(
        indicator=cumulative,
        period=second,
        user=staff_user,
        breakdown=by_category(cumulative, 5),
    )
    measurement_record(
        indicator=unmeasured,
        period=second,
        user=staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Le sondage a été reporté à l'an prochain.",
    )
    return {
        "late": late,
        "level": level,
        "cumulative": cumulative,
        "unmeasured": unmeasured,
        "first": first,
        "second": second,
    }


def current_plan_of_size(size):
    """Keep the fixture plan current, or make a generated one (40 indicators, 6 periods) current."""
    if size == "generated":
        call_command(
            "generate_demo_data",
            indicators=40,
            periods=6,
            categories=5,
            seed=3,
            current=True,
            stdout=StringIO(),
        )
