"""The author of a returned value is told by e-mail; coordinators get a daily digest."""

import datetime
from decimal import Decimal

from django.core.management import call_command

from indicators.models import EmailKind, OutgoingEmail
from indicators.notifications.validation import validation_digests_send
from indicators.recording.services import measurement_record
from indicators.validation.services import measurement_return, measurement_validate
from tests.smtp_server import text_of

TODAY = datetime.date(2020, 5, 4)


def _pending(indicator, period, user):
    return measurement_record(
        indicator=indicator, period=period, user=user, value=Decimal(4), version=0
    )


def test_the_author_of_a_returned_value_is_told_by_email(
    validation_on,
    count_indicator,
    period,
    staff_user,
    coordinator,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    staff_user.email = "marie@tiess.test"
    staff_user.save()
    value = _pending(count_indicator, period, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        measurement_return(measurement=value, user=coordinator, version=1, comment="Source ?")
    (message,) = smtp_server.received_by("marie@tiess.test")
    text = text_of(message)
    assert "Sophie Lavoie vous retourne la valeur" in text
    assert "Source ?" in text
    assert count_indicator.wording in text
    assert OutgoingEmail.objects.get().kind == EmailKind.VALIDATION_RETURNED


def test_no_email_is_sent_when_a_value_is_validated(
    validation_on,
    count_indicator,
    period,
    staff_user,
    coordinator,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    value = _pending(count_indicator, period, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        measurement_validate(measurement=value, user=coordinator, version=1)
    assert not smtp_server.messages


def test_coordinators_get_one_digest_a_day_of_what_awaits_them(
    validation_on, count_indicator, period, staff_user, coordinator, other_staff, smtp_server
):
    _pending(count_indicator, period, staff_user)
    report = validation_digests_send(plan=validation_on, today=TODAY)
    assert (report.delivered, report.failed) == (1, 0)
    (message,) = smtp_server.messages
    assert message["To"] == "sophie@tiess.test"
    assert "2019-2020\u00a0: 1 valeur" in text_of(message)
    assert f"/validation/{period.pk}/" in text_of(message)
    # A second run the same day sends nothing again; the next day, again.
    assert validation_digests_send(plan=validation_on, today=TODAY).skipped == 1
    next_day = TODAY + datetime.timedelta(days=1)
    assert validation_digests_send(plan=validation_on, today=next_day).delivered == 1


def test_no_digest_when_nothing_awaits_validation(
    validation_on, count_indicator, period, staff_user, coordinator, smtp_server
):
    value = _pending(count_indicator, period, staff_user)
    measurement_validate(measurement=value, user=coordinator, version=1)
    report = validation_digests_send(plan=validation_on, today=TODAY)
    assert (report.delivered, report.skipped) == (0, 0)
    assert not smtp_server.messages


def test_send_reminders_sends_the_coordinators_digest(
    validation_on, count_indicator, period, staff_user, coordinator, smtp_server
):
    _pending(count_indicator, period, staff_user)
    call_command("send_reminders", date=TODAY)
    assert "sophie@tiess.test" in [m["To"] for m in smtp_server.messages]
