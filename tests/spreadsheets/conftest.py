"""Fixtures of the spreadsheet tests."""

import pytest

from indicators.recording.services import measurement_record


@pytest.fixture
def recorded(staff_user, tools_indicator, level_indicator, qualitative_indicator, categories):
    """A count by category, a level, a narrative and a “not measured”, over two periods."""
    periods = {period.name: period for period in tools_indicator.plan.periods.all()}
    measurement_record(
        indicator=tools_indicator,
        period=periods["2019-2020"],
        user=staff_user,
        breakdown={categories[0].pk: 3, categories[2].pk: 11},
        comment='=HYPERLINK("http://exemple.test")',
        version=0,
    )
    measurement_record(
        indicator=tools_indicator,
        period=periods["2020-2021"],
        user=staff_user,
        status="not_measured",
        explanation="Pas de recensement cette année",
        version=0,
    )
    measurement_record(
        indicator=level_indicator,
        period=periods["2019-2020"],
        user=staff_user,
        value=3,
        comment="-selon le sondage; @équipe +1",
        version=0,
    )
    measurement_record(
        indicator=qualitative_indicator,
        period=periods["2019-2020"],
        user=staff_user,
        narrative="Le rôle du TIESS est reconnu;\nplusieurs « réseaux » le citent.",
        version=0,
    )
