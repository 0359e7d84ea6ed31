"""Reminders before, on and after the due date: the rules, then real e-mail through SMTP."""

import datetime
import email.utils

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from indicators.models import EmailKind, EmailStatus, Indicator, OutgoingEmail, ReportingPeriod
from indicators.notifications.reminders import (
    Occasion,
    reminder_occasion,
    reminders_due,
    reminders_send,
)
from tests.notifications.conftest import DUE, record, set_profile
from tests.smtp_server import free_port, html_of, subject_of, text_of

day = datetime.date
SUBJECT_BEFORE = "[Suivi TIESS] Valeurs à saisir pour 2022-2023 d’ici le 30 avril 2023"
SUBJECT_DUE = "[Suivi TIESS] Les valeurs de 2022-2023 sont attendues aujourd’hui"
SUBJECT_LATE = (
    "[Suivi TIESS] En retard : valeurs à saisir pour 2022-2023 (attendues le 30 avril 2023)"
)
BEFORE, ON_DUE, LATE = (
    EmailKind.REMINDER_BEFORE,
    EmailKind.REMINDER_DUE,
    EmailKind.REMINDER_OVERDUE,
)


# --- The rule of occasions (no database) ----------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (day(2023, 4, 22), None),  # 8 days before: notice not started
        (day(2023, 4, 23), Occasion(BEFORE)),  # exactly 7 days before
        (day(2023, 4, 29), Occasion(BEFORE)),
        (day(2023, 4, 30), Occasion(ON_DUE)),
        (day(2023, 5, 6), Occasion(ON_DUE)),  # 6 days late: still the due-date reminder
        (day(2023, 5, 7), Occasion(LATE, 1)),  # one week late
        (day(2023, 5, 13), Occasion(LATE, 1)),
        (day(2023, 5, 14), Occasion(LATE, 2)),
        (day(2024, 4, 29), Occasion(LATE, 52)),
    ],
)
def test_occasion_reached_on_each_day(today, expected):
    assert reminder_occasion(due_on=DUE, today=today, days_before=7) == expected


def test_the_notice_is_each_persons_own():
    assert reminder_occasion(due_on=DUE, today=day(2023, 4, 26), days_before=3) is None
    assert reminder_occasion(due_on=DUE, today=day(2023, 4, 27), days_before=3) == Occasion(BEFORE)


# --- Who is reminded of what ----------------------------------------------------------------


def test_due_date_defaults_to_a_number_of_days_after_the_end(period, settings):
    settings.REPORTING_DUE_DAYS = 30
    period.due_date = None
    assert period.due_on == day(2023, 4, 30)
    settings.REPORTING_DUE_DAYS = 45
    assert period.due_on == day(2023, 5, 15)
    period.due_date = day(2023, 6, 1)
    assert period.due_on == day(2023, 6, 1)


def test_to_record_lists_only_the_persons_indicators_with_no_measurement(
    responsibilities, period, staff_user
):
    reminders = reminders_due(today=day(2023, 4, 23))
    assert [(r.recipient.username, r.period.name, r.occasion) for r in reminders] == [
        ("marie", "2022-2023", Occasion(BEFORE))
    ]
    assert reminders[0].indicators == responsibilities["marie"]

    # Once Marie records one of her two, only the other is left; once both, no reminder.
    first, second = responsibilities["marie"]
    record(first, period, staff_user)
    assert reminders_due(today=day(2023, 4, 30))[0].indicators == [second]
    record(second, period, staff_user)
    assert reminders_due(today=day(2023, 4, 30)) == []


def test_locked_periods_other_plans_and_people_without_address_get_no_reminder(
    responsibilities, period, staff_user
):
    # Earlier periods are locked: 2018-2019, years late, is never reminded of.
    assert {r.period.name for r in reminders_due(today=day(2023, 5, 30))} == {"2022-2023"}
    period.is_locked = True
    period.save()
    assert reminders_due(today=day(2023, 5, 30)) == []
    period.is_locked = False
    period.save()
    staff_user.email = ""
    staff_user.save()
    assert reminders_due(today=day(2023, 5, 30)) == []
    staff_user.email = "marie@tiess.test"
    staff_user.is_active = False
    staff_user.save()
    assert reminders_due(today=day(2023, 5, 30)) == []
    staff_user.is_active = True
    staff_user.save()
    period.plan.is_current = False
    period.plan.save()
    assert reminders_due(today=day(2023, 5, 30)) == []


def test_opted_out_people_are_not_reminded(responsibilities, staff_user):
    set_profile(staff_user, reminders_enabled=False)
    assert reminders_due(today=day(2023, 4, 30)) == []


@pytest.mark.parametrize("people", [1, 5])
def test_selecting_reminders_takes_four_queries_whatever_the_number_of_people(
    period, plan_2018_2023, make_member, django_assert_max_num_queries, people
):
    """Prevents an N+1 on responsible people, their profiles and their measurements."""
    members = [
        make_member(f"p{n}", "Personnel", password="x", email=f"p{n}@tiess.test")
        for n in range(people)
    ]
    for n, indicator in enumerate(Indicator.objects.of_plan(plan_2018_2023)):
        indicator.responsible = members[n % people]
        indicator.save()
        if n % 2:
            record(indicator, period, members[0])
    set_profile(members[-1], reminder_days_before=10)
    with django_assert_max_num_queries(4):
        reminders = reminders_due(today=day(2023, 4, 30))
    assert len(reminders) == people


# --- Sent through a real SMTP server --------------------------------------------------------


def run_days(days, runs_per_day=3):
    """Run the command as cron would, several times on each day."""
    for today in days:
        for _ in range(runs_per_day):
            call_command("send_reminders", "--date", today.isoformat(), verbosity=0)


def test_right_people_on_right_days_exactly_once(responsibilities, other_staff, smtp_server):
    # Luc now has something to record too, with his own notice of 3 days.
    luc_indicator = Indicator.objects.exclude(responsible__isnull=False).first()
    luc_indicator.responsible = other_staff
    luc_indicator.save()
    set_profile(other_staff, reminder_days_before=3)
    days = [DUE + datetime.timedelta(days=offset) for offset in range(-10, 16)]

    run_days(days)

    received = [(m["To"], subject_of(m)) for m in smtp_server.messages]
    marie, luc = "marie@tiess.test", "luc@tiess.test"
    assert received == [
        (marie, SUBJECT_BEFORE),  # 23 April: 7 days before
        (luc, SUBJECT_BEFORE),  # 27 April: his own notice, 3 days
        (luc, SUBJECT_DUE),  # 30 April, the due date
        (marie, SUBJECT_DUE),
        (luc, SUBJECT_LATE),  # 7 May, one week late
        (marie, SUBJECT_LATE),
        (luc, SUBJECT_LATE),  # 14 May, two weeks late
        (marie, SUBJECT_LATE),
    ]
    sent = OutgoingEmail.objects.order_by("sent_at", "recipient__username")
    assert [(e.recipient.username, e.kind, e.sequence, e.status) for e in sent] == [
        ("marie", BEFORE, 0, EmailStatus.DELIVERED),
        ("luc", BEFORE, 0, EmailStatus.DELIVERED),
        ("luc", ON_DUE, 0, EmailStatus.DELIVERED),
        ("marie", ON_DUE, 0, EmailStatus.DELIVERED),
        ("luc", LATE, 1, EmailStatus.DELIVERED),
        ("marie", LATE, 1, EmailStatus.DELIVERED),
        ("luc", LATE, 2, EmailStatus.DELIVERED),
        ("marie", LATE, 2, EmailStatus.DELIVERED),
    ]


def test_each_reminder_is_sent_on_its_day(responsibilities, smtp_server):
    sent_on = {}
    for offset in range(-10, 16):
        today = DUE + datetime.timedelta(days=offset)
        before = len(smtp_server.messages)
        reminders_send(today=today)
        reminders_send(today=today)
        if len(smtp_server.messages) > before:
            sent_on[today] = len(smtp_server.messages) - before
    assert sent_on == {
        day(2023, 4, 23): 1,  # 7 days before the due date
        day(2023, 4, 30): 1,  # on the due date
        day(2023, 5, 7): 1,  # one week late
        day(2023, 5, 14): 1,  # two weeks late
    }


def test_a_missed_day_is_caught_up_by_the_next_run(responsibilities, smtp_server):
    """The server was down on the due date: the next run sends the due-date reminder."""
    reminders_send(today=day(2023, 5, 2))
    assert [subject_of(m) for m in smtp_server.messages] == [SUBJECT_DUE]
    assert reminders_send(today=day(2023, 5, 3)).skipped == 1
    assert len(smtp_server.messages) == 1


def test_opted_out_person_gets_nothing_and_others_still_do(
    responsibilities, other_staff, staff_user, smtp_server
):
    Indicator.objects.filter(responsible__isnull=True).update(responsible=other_staff)
    set_profile(staff_user, reminders_enabled=False)
    run_days([DUE - datetime.timedelta(days=7), DUE, DUE + datetime.timedelta(days=7)], 1)
    assert smtp_server.received_by("marie@tiess.test") == []
    assert len(smtp_server.received_by("luc@tiess.test")) == 3
    assert not OutgoingEmail.objects.filter(recipient=staff_user).exists()


def test_an_smtp_failure_is_recorded_and_retried_on_the_next_run(
    responsibilities, other_staff, smtp_server, capsys
):
    Indicator.objects.filter(responsible__isnull=True).update(responsible=other_staff)
    smtp_server.refused.add("marie@tiess.test")

    call_command("send_reminders", "--date", "2023-04-30")

    # The run went on: Luc got his; Marie's refusal is recorded, not raised.
    assert [m["To"] for m in smtp_server.messages] == ["luc@tiess.test"]
    failed = OutgoingEmail.objects.get(recipient__username="marie")
    assert failed.status == EmailStatus.ERROR
    assert "550" in failed.error
    assert failed.attempts == 1
    out, err = capsys.readouterr()
    assert "1 envoyé(s), 1 en échec" in out
    assert "1 rappel(s) non remis" in err

    # Next hour the server accepts her again: the same reminder is retried, once.
    smtp_server.refused.clear()
    call_command("send_reminders", "--date", "2023-04-30")
    call_command("send_reminders", "--date", "2023-04-30")
    assert [m["To"] for m in smtp_server.messages] == ["luc@tiess.test", "marie@tiess.test"]
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (EmailStatus.DELIVERED, "", 2)
    assert OutgoingEmail.objects.count() == 2


def test_an_unreachable_server_is_recorded_and_does_not_stop_the_run(
    responsibilities, smtp_server, settings
):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    report = reminders_send(today=DUE)
    assert (report.delivered, report.failed) == (0, 1)
    failed = OutgoingEmail.objects.get()
    assert failed.status == EmailStatus.ERROR
    assert "ConnectionRefusedError" in failed.error


def test_the_command_refuses_to_run_without_mail(responsibilities, mail_not_configured):
    with pytest.raises(CommandError, match="EMAIL_URL"):
        call_command("send_reminders", "--date", "2023-04-30")
    assert not OutgoingEmail.objects.exists()


# --- The message itself ---------------------------------------------------------------------


def test_reminder_message_french_text_and_html_headers_and_footer(
    responsibilities, period, smtp_server
):
    reminders_send(today=DUE + datetime.timedelta(days=7))
    (message,) = smtp_server.messages
    assert message["From"] == "Suivi du plan TIESS <suivi@localhost>"
    assert email.utils.parsedate_to_datetime(message["Date"]) is not None
    assert message["Message-ID"].endswith("@suivi.tiess.test>")
    assert message["Message-ID"] == OutgoingEmail.objects.get().message_id
    assert message["List-Unsubscribe"] == "<https://suivi.tiess.test/compte/rappels/>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"

    text = text_of(message)
    assert text.startswith("Bonjour Marie Tremblay,")
    assert "Les valeurs de la période 2022-2023 étaient attendues le 30 avril 2023." in text
    for indicator in responsibilities["marie"]:
        assert indicator.wording in text
        assert f"https://suivi.tiess.test/indicateurs/{indicator.pk}/?periode={period.pk}" in text
    assert f"https://suivi.tiess.test/saisie/?periode={period.pk}" in text
    assert "Vous recevez ce courriel parce que vous êtes responsable d’indicateurs" in text
    assert "https://suivi.tiess.test/compte/rappels/" in text

    html = html_of(message)
    assert '<html lang="fr">' in html
    assert "<img" not in html
    assert "src=" not in html
    assert "style" not in html
    links = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert links
    assert all(link.startswith("https://suivi.tiess.test/") for link in links)
    assert "Vous recevez ce courriel" in html


def test_reminder_in_english_for_people_who_chose_english(
    responsibilities, staff_user, smtp_server
):
    set_profile(staff_user, language="en")
    reminders_send(today=DUE)
    (message,) = smtp_server.messages
    assert subject_of(message) == "[TIESS tracker] Values for 2022-2023 are due today"
    text = text_of(message)
    assert text.startswith("Hello Marie Tremblay,")
    assert "These 2 indicators you are responsible for have no value yet:" in text
    assert "You receive this e-mail because you are responsible for indicators" in text
    assert '<html lang="en">' in html_of(message)


# --- Constraints ----------------------------------------------------------------------------


def test_a_reminder_is_recorded_once_per_person_period_and_week(
    responsibilities, period, smtp_server
):
    reminders_send(today=DUE)
    sent = OutgoingEmail.objects.get()
    duplicate = OutgoingEmail(
        recipient=sent.recipient,
        address=sent.address,
        kind=sent.kind,
        period=period,
        sequence=0,
        subject="x",
        status=EmailStatus.DELIVERED,
        sent_at=sent.sent_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    duplicate.kind = LATE
    duplicate.period = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()  # a reminder names its period


def test_a_due_date_cannot_be_before_the_end_of_the_period(period):
    period.due_date = day(2023, 3, 30)
    with pytest.raises(ValidationError, match="date limite"):
        period.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.filter(pk=period.pk).update(due_date=day(2023, 3, 30))
