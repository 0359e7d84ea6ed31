"""The publication rules (indicators/public/selectors.py), at their boundaries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.board.status import Status
from indicators.models import MeasureKind, Measurement, MeasurementStatus, ReportingPeriod
from indicators.public import selectors
from indicators.rules.choices import MeasurementValidation
from plan.models import StrategicPlan
from tests import codes, factories


@pytest.fixture
def published(plan_2018_2023):
    """The 2018-2023 plan published, its first two periods locked, indicator 2.1 published
    with its story."""
    plan = plan_2018_2023
    plan.is_published = True
    plan.save()
    ReportingPeriod.objects.filter(name__in=["2018-2019", "2019-2020"], plan=plan).update(
        is_locked=True
    )
    indicator = codes.indicator("2.1")
    indicator.is_published = indicator.story_is_published = True
    indicator.save()
    return plan


# --- Plans ----------------------------------------------------------------------------------


def test_a_plan_is_not_published_by_default(plan_2018_2023):
    assert not plan_2018_2023.is_published
    assert plan_2018_2023.publishes_locked_periods_only
    assert list(selectors.published_plans()) == []
    assert selectors.published_plan() is None


def test_a_published_plan_is_public(published):
    assert list(selectors.published_plans()) == [published]
    assert selectors.published_plan() == published
    assert selectors.published_plan("2018-2023") == published


def test_a_draft_plan_is_never_public_even_when_ticked(published):
    draft = factories.plan(start_year=2023, end_year=2028, is_published=True)
    assert draft not in StrategicPlan.objects.adopted()
    assert list(selectors.published_plans()) == [published]
    assert selectors.published_plan("2023-2028") is None


def test_without_a_published_current_plan_the_newest_published_plan_is_read(published):
    published.is_current = False
    published.is_closed = True
    published.save()
    newer = factories.plan(start_year=2023, end_year=2028, is_current=True)
    assert selectors.published_plan() == published
    newer.is_published = True
    newer.save()
    assert selectors.published_plan() == newer


@pytest.mark.parametrize("years", ["2018", "abcd-efgh", "2018-2024", ""])
def test_unknown_years_name_no_plan(published, years):
    assert selectors.published_plan(years) is None


def test_the_structure_of_an_unpublished_plan_is_not_read(plan_2018_2023):
    assert selectors.published_structure(plan_2018_2023) == []


def test_the_structure_of_a_published_plan_is_its_words(published):
    orientations = selectors.published_structure(published)
    assert [o.number for o in orientations] == [1, 2, 3, 4, 5]
    assert orientations[0].results.all()[0] == codes.result(1)


# --- Indicators and periods -----------------------------------------------------------------


def test_only_published_indicators_of_a_published_plan_are_read(published):
    assert list(selectors.published_indicators(published)) == [codes.indicator("2.1")]
    published.is_published = False
    published.save()
    assert list(selectors.published_indicators(published)) == []


def test_a_stale_plan_object_reads_nothing_once_unpublished(published):
    StrategicPlan.objects.filter(pk=published.pk).update(is_published=False)
    assert published.is_published  # the object in memory still says so
    assert list(selectors.published_indicators(published)) == []
    assert list(selectors.public_periods(published)) == []
    assert selectors.published_values(published) == []


def test_only_locked_periods_are_public_when_the_plan_says_so(published):
    assert [p.name for p in selectors.public_periods(published)] == ["2018-2019", "2019-2020"]
    published.publishes_locked_periods_only = False
    published.save()
    assert len(selectors.public_periods(published)) == 5


def test_the_story_is_published_only_with_its_indicator(plan_2018_2023):
    indicator = codes.indicator("2.1")
    indicator.story_is_published = True
    with pytest.raises(ValidationError, match="publiez aussi l’indicateur"):
        indicator.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        indicator.save()
    indicator.is_published = True
    indicator.full_clean()
    indicator.save()


# --- Values ---------------------------------------------------------------------------------


def test_values_of_unpublished_indicators_and_open_periods_are_not_public(published, staff_user):
    public_one, private_one = codes.indicator("2.1"), codes.indicator("2.2")
    locked, open_period = codes.period("2018-2019"), codes.period("2020-2021")
    shown = factories.measurement(public_one, locked, staff_user, 5, comment="interne")
    factories.measurement(public_one, open_period, staff_user, 6)
    factories.measurement(private_one, locked, staff_user, 7)
    values = selectors.published_values(published)
    assert [(v.pk, v.value) for v in values] == [(shown.pk, Decimal(5))]
    assert not hasattr(values[0], "comment")
    published.publishes_locked_periods_only = False
    published.save()
    assert [v.value for v in selectors.published_values(published)] == [5, 6]
    assert [v.value for v in selectors.published_values(published, period=open_period)] == [6]


@pytest.mark.parametrize(
    ("state", "public"),
    [
        (MeasurementValidation.NOT_REQUIRED, True),
        (MeasurementValidation.PENDING, False),
        (MeasurementValidation.RETURNED, False),
        (MeasurementValidation.VALIDATED, True),
    ],
)
def test_only_values_that_need_no_more_validation_are_public(published, staff_user, state, public):
    """Issue 23: with the validation step on, a value « à valider » or « retournée » stays
    inside; a validated one (or one recorded without the step) is public."""
    value = factories.measurement(codes.indicator("2.1"), codes.period("2018-2019"), staff_user, 5)
    checked = state in (MeasurementValidation.VALIDATED, MeasurementValidation.RETURNED)
    Measurement.objects.filter(pk=value.pk).update(
        validation_state=state,
        validated_by=staff_user if checked else None,
        validated_at=value.recorded_at if checked else None,
        return_comment="À revoir" if state == MeasurementValidation.RETURNED else "",
    )
    assert [v.pk for v in selectors.published_values(published)] == ([value.pk] if public else [])


def test_a_story_is_shown_only_when_published(published, staff_user):
    indicator = codes.indicator("2.1")
    factories.measurement(indicator, codes.period("2018-2019"), staff_user, 5, narrative="Récit")
    factories.measurement(
        indicator,
        codes.period("2019-2020"),
        staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Pas de collecte",
    )
    assert [v.story for v in selectors.published_values(published)] == ["Récit", "Pas de collecte"]
    indicator.story_is_published = False
    indicator.save()
    values = selectors.published_values(published)
    assert [(v.story, v.narrative, v.explanation) for v in values] == [("", "", "")] * 2
    assert values[0].has_narrative


def test_breakdowns_come_with_their_value(published, staff_user, tools_indicator, categories):
    tools_indicator.is_published = True
    tools_indicator.save()
    factories.measurement(
        tools_indicator,
        codes.period("2018-2019"),
        staff_user,
        breakdown={categories[0]: 2, categories[1]: 3},
    )
    (value,) = selectors.published_values(published, indicator=tools_indicator)
    assert value.value == 5
    assert [(b.category, b.value) for b in value.breakdowns] == [
        (categories[0].name, 2),
        (categories[1].name, 3),
    ]


def test_targets_of_open_periods_and_unpublished_indicators_are_not_public(published):
    public_one, private_one = codes.indicator("2.1"), codes.indicator("2.2")
    locked, open_period = codes.period("2018-2019"), codes.period("2020-2021")
    factories.target(public_one, locked, 10)
    factories.target(public_one, open_period, 20)
    factories.target(private_one, locked, 30)
    assert selectors.public_targets(published) == {public_one.pk: {locked.pk: Decimal(10)}}


# --- The whole public plan and its statuses -------------------------------------------------


def test_the_public_plan_is_read_in_a_fixed_number_of_queries(
    published, staff_user, django_assert_num_queries
):
    for code in ("1.1", "1.2", "1.3", "3.1"):
        indicator = codes.indicator(code)
        indicator.is_published = True
        indicator.save()
        factories.measurement(indicator, codes.period("2018-2019"), staff_user, 1)
    with django_assert_num_queries(7):
        public = selectors.load_public_plan(published)
    assert len(public.indicators) == 5
    assert public.updated_at is not None


def test_statuses_follow_the_board_rule_on_public_values(published, staff_user):
    indicator = codes.indicator("2.1")
    indicator.kind = MeasureKind.COUNT
    indicator.save()
    period = codes.period("2018-2019")
    factories.target(indicator, period, 10)
    factories.measurement(indicator, period, staff_user, 10)
    public = selectors.load_public_plan(published)
    assessment = selectors.public_assessments(public, public.periods[0])[indicator.pk]
    assert assessment.status == Status.REACHED
    assert assessment.target == 10
    assert isinstance(assessment.measurement, selectors.PublicValue)


def test_a_qualitative_status_does_not_need_its_story_published(published, staff_user):
    indicator = codes.indicator("2.1")
    indicator.kind = MeasureKind.QUALITATIVE
    indicator.story_is_published = False
    indicator.save()
    factories.measurement(indicator, codes.period("2018-2019"), staff_user, narrative="Secret")
    public = selectors.load_public_plan(published)
    assessment = selectors.public_assessments(public, public.periods[0])[indicator.pk]
    assert assessment.status == Status.QUALITATIVE
    assert assessment.measurement.story == ""


def test_no_status_for_a_period_that_is_not_public(published):
    public = selectors.load_public_plan(published)
    assert selectors.public_assessments(public, codes.period("2020-2021")) == {}
    assert selectors.public_assessments(public, None) == {}
