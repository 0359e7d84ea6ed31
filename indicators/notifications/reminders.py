"""Who is reminded of what, and when: the rules behind `manage.py send_reminders`.

For each unlocked period of the current plan and each person responsible for indicators of
that plan, the indicators "to record" are theirs with no measurement for the period. If there
are any, the person gets, for that period:

- one reminder `days_before` days before the due date (their own notice, from their profile);
- one on the due date;
- one a week while late (7, 14, 21… days after the due date).

Each reminder is sent once: a run sends the reminder of the latest occasion reached and not
delivered yet, so a run missed (server down on the day) is caught up by the next one, and a
failed one is retried. People who turned reminders off, inactive accounts and accounts with
no address get nothing; locked periods and other plans are left alone.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from indicators.models import (
    REMINDER_DAYS_BEFORE_MAX,
    EmailKind,
    Indicator,
    Measurement,
    OutgoingEmail,
    Profile,
    ReportingPeriod,
)
from indicators.notifications.mail import (
    SendReport,
    email_claim,
    email_compose,
    email_message,
    email_queue,
    preferences_url,
    profile_of,
    site_url,
)
from plan.models import StrategicPlan

WEEK = 7


@dataclass(frozen=True)
class Occasion:
    """Which reminder is due: its kind and, while late, the week number (1, 2…)."""

    kind: EmailKind
    sequence: int = 0

    @property
    def is_before(self) -> bool:
        return self.kind == EmailKind.REMINDER_BEFORE

    @property
    def is_due(self) -> bool:
        return self.kind == EmailKind.REMINDER_DUE

    @property
    def is_late(self) -> bool:
        return self.kind == EmailKind.REMINDER_OVERDUE


def reminder_occasion(
    *, due_on: datetime.date, today: datetime.date, days_before: int
) -> Occasion | None:
    """The latest reminder occasion reached on `today`, or None before the notice starts."""
    if today < due_on - datetime.timedelta(days=days_before):
        return None
    if today < due_on:
        return Occasion(EmailKind.REMINDER_BEFORE)
    weeks_late = (today - due_on).days // WEEK
    if weeks_late == 0:
        return Occasion(EmailKind.REMINDER_DUE)
    return Occasion(EmailKind.REMINDER_OVERDUE, weeks_late)


@dataclass
class Reminder:
    """One e-mail to write: to whom, for which period and occasion, about which indicators."""

    recipient: AbstractBaseUser
    profile: Profile
    period: ReportingPeriod
    occasion: Occasion
    indicators: list[Indicator] = field(default_factory=list)


def reminders_due(*, today: datetime.date) -> list[Reminder]:
    """Every reminder due on `today`, whether or not it was sent already (four queries)."""
    plan = StrategicPlan.objects.current()
    if plan is None:
        return []
    earliest_notice = datetime.timedelta(days=REMINDER_DAYS_BEFORE_MAX)
    periods = [
        period
        for period in ReportingPeriod.objects.of_plan(plan).filter(is_locked=False)
        if period.due_on - earliest_notice <= today
    ]
    if not periods:
        return []
    indicators = (
        Indicator.objects.of_plan(plan)
        .filter(responsible__is_active=True)
        .exclude(responsible__email="")
        .select_related("result", "responsible__profile")
        .order_by("result__number", "order")
    )
    recorded = set(
        Measurement.objects.filter(period__in=periods).values_list("indicator_id", "period_id")
    )
    to_record: dict[tuple[int, int], list[Indicator]] = defaultdict(list)
    people = {}
    for indicator in indicators:
        people[indicator.responsible_id] = indicator.responsible
        for period in periods:
            if (indicator.pk, period.pk) not in recorded:
                to_record[indicator.responsible_id, period.pk].append(indicator)
    reminders = []
    for period in periods:
        for person_id, person in sorted(people.items(), key=lambda item: item[1].username):
            missing = to_record.get((person_id, period.pk))
            profile = profile_of(person)
            if not missing or not profile.reminders_enabled:
                continue
            occasion = reminder_occasion(
                due_on=period.due_on, today=today, days_before=profile.reminder_days_before
            )
            if occasion is not None:
                reminders.append(Reminder(person, profile, period, occasion, missing))
    return reminders


def reminder_send(*, reminder: Reminder) -> OutgoingEmail | None:
    """Send one reminder unless it was delivered already; returns its record (None: skipped)."""
    period = reminder.period
    todo_url = site_url(f"{reverse('indicators:measurement_todo')}?periode={period.pk}")
    composed = email_compose(
        template="reminder",
        language=reminder.profile.language,
        context={
            "recipient": reminder.recipient,
            "period": period,
            "due_on": period.due_on,
            "occasion": reminder.occasion,
            "indicators": [
                (indicator, site_url(f"{indicator.get_absolute_url()}?periode={period.pk}"))
                for indicator in reminder.indicators
            ],
            "todo_url": todo_url,
        },
    )
    record = email_claim(
        recipient=reminder.recipient,
        kind=reminder.occasion.kind,
        subject=composed.subject,
        period=period,
        sequence=reminder.occasion.sequence,
    )
    if record is None:
        return None
    message = email_message(
        to=reminder.recipient.email, composed=composed, unsubscribe_url=preferences_url()
    )
    return email_queue(record=record, message=message)


def reminders_send(*, today: datetime.date) -> SendReport:
    """Send every reminder due on `today` that was not delivered yet; safe to run hourly."""
    report = SendReport()
    for reminder in reminders_due(today=today):
        report.count(reminder_send(reminder=reminder))
    return report
