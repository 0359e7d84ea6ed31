import datetime

import pytest

from indicators.models import Indicator, Profile, ReportingPeriod
from tests import codes, factories

# The period the reminder tests follow: 2022-2023, its values due on 30 April 2023.
PERIOD = "2022-2023"
DUE = datetime.date(2023, 4, 30)


@pytest.fixture
def period(plan_2018_2023):
    """2022-2023 with its due date; the earlier periods are locked (closed to entry)."""
    ReportingPeriod.objects.filter(plan=plan_2018_2023).exclude(name=PERIOD).update(is_locked=True)
    period = codes.period(PERIOD)
    period.due_date = DUE
    period.save()
    return period


@pytest.fixture
def indicators(plan_2018_2023):
    """Three indicators of the plan, in plan order: 1.1, 1.2 and 1.3."""
    return [codes.indicator(code) for code in ("1.1", "1.2", "1.3")]


@pytest.fixture
def responsibilities(period, indicators, staff_user, other_staff):
    """Marie answers for two indicators, none recorded; Luc for one, already recorded."""
    staff_user.email = "marie@tiess.test"
    staff_user.save()
    other_staff.email = "luc@tiess.test"
    other_staff.save()
    first, second, third = indicators
    Indicator.objects.filter(pk__in=[first.pk, second.pk]).update(responsible=staff_user)
    Indicator.objects.filter(pk=third.pk).update(responsible=other_staff)
    record(third, period, other_staff)
    return {"marie": [first, second], "luc": [third]}


def record(indicator, period, user):
    return factories.measurement(indicator, period, user, value=1)


def set_profile(user, **fields):
    profile, _ = Profile.objects.update_or_create(user=user, defaults=fields)
    return profile
