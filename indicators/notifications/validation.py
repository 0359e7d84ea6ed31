"""E-mails of the validation step: a returned value's author is told, coordinators get a
short daily digest of what awaits them (`manage.py send_reminders`).

Both go through the one mail path (mail.py): composed in the person's language, claimed once
(OutgoingEmail), then sent, retried and recorded by the worker.
"""

import datetime
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse

from indicators.models import EmailKind, Measurement, ReportingPeriod
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
from indicators.rules.kinds import kind_of


def validation_returned_send(*, measurement: Measurement, author, returned_by):
    """Tell `author` that `returned_by` returned their value, with the comment and a link."""
    if not author.is_active or not author.email:
        return None
    indicator, period = measurement.indicator, measurement.period
    composed = email_compose(
        template="validation_returned",
        language=profile_of(author).language,
        context={
            "recipient": author,
            "indicator": indicator,
            "period": period,
            "answer": kind_of(indicator).answer_text(measurement, indicator),
            "comment": measurement.return_comment,
            "returned_by": returned_by.get_full_name() or returned_by.get_username(),
            "url": site_url(f"{indicator.get_absolute_url()}?periode={period.pk}#saisie"),
        },
    )
    record = email_claim(
        recipient=author,
        kind=EmailKind.VALIDATION_RETURNED,
        subject=composed.subject,
        period=period,
        reference=f"measurement-{measurement.pk}-v{measurement.version}",
    )
    if record is None:
        return None
    return email_queue(record=record, message=email_message(to=author.email, composed=composed))


def validators():
    """Active people with an address who may validate (group or own permission)."""
    permission = Permission.objects.filter(
        content_type__app_label="indicators", codename="validate_measurement"
    ).first()
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .filter(is_active=True)
        .exclude(email="")
        .select_related("profile")
        .distinct()
        .order_by("username")
    )


def awaiting_by_period(plan) -> list[tuple[ReportingPeriod, int]]:
    """[(period, how many values await validation)] of `plan`, periods in order."""
    counts = Counter(
        Measurement.objects.of_plan(plan).awaiting_validation().values_list("period_id", flat=True)
    )
    periods = ReportingPeriod.objects.filter(pk__in=counts).order_by("start_date")
    return [(period, counts[period.pk]) for period in periods]


def validation_digests_send(*, plan, today: datetime.date) -> SendReport:
    """One short e-mail a day to each coordinator while values of `plan` await validation.

    People who turned reminders off get none; a second run the same day sends nothing again.
    """
    report = SendReport()
    awaiting = awaiting_by_period(plan) if plan is not None else []
    if not awaiting:
        return report
    periods = [
        (period, count, site_url(reverse("indicators:measurement_validation", args=[period.pk])))
        for period, count in awaiting
    ]
    for person in validators():
        profile = profile_of(person)
        if not profile.reminders_enabled:
            continue
        composed = email_compose(
            template="validation_digest",
            language=profile.language,
            context={"recipient": person, "plan": plan, "periods": periods},
        )
        record = email_claim(
            recipient=person,
            kind=EmailKind.VALIDATION_DIGEST,
            subject=composed.subject,
            reference=f"validation-{plan.pk}-{today.isoformat()}",
        )
        if record is not None:
            message = email_message(
                to=person.email, composed=composed, unsubscribe_url=preferences_url()
            )
            record = email_queue(record=record, message=message)
        report.count(record)
    return report


__all__ = ["validation_digests_send", "validation_returned_send", "validators"]
