"""Every e-mail goes through the task queue: pages and commands only enqueue, the real
`db_worker` sends (real SMTP server), and retries a failure later."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from indicators.models import EmailStatus, OutgoingEmail
from tests.notifications.conftest import DUE

pytestmark = pytest.mark.django_db(transaction=True)
RESET = "/accounts/password_reset/"


def test_the_reset_page_only_enqueues_the_same_work_for_any_address(
    client, staff_user, smtp_server, task_queue
):
    staff_user.email = "marie@tiess.test"
    staff_user.save()

    known = client.post(RESET, {"email": "marie@tiess.test"})
    unknown = client.post(RESET, {"email": "personne@tiess.test"})

    assert known["Location"] == unknown["Location"] == "/accounts/password_reset/done/"
    # The same single row each, whoever owns the address; nothing looked up, nothing sent.
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [t.task_path for t in queued] == [
        "indicators.notifications.reset.password_reset_mail"
    ] * 2
    assert not OutgoingEmail.objects.exists()
    assert smtp_server.messages == []
    # The link is composed by the worker: it is never stored in the queue.
    assert all("token" not in str(t.args_kwargs) for t in queued)

    task_queue()

    assert [m["To"] for m in smtp_server.messages] == ["marie@tiess.test"]
    assert OutgoingEmail.objects.get().status == EmailStatus.DELIVERED


def test_a_refused_reminder_is_retried_later_by_the_worker(
    responsibilities, smtp_server, task_queue, capsys
):
    smtp_server.refused.add("marie@tiess.test")
    call_command("send_reminders", "--date", DUE.isoformat())
    assert "1 confié(s) au processus de travail" in capsys.readouterr().out
    assert smtp_server.messages == []

    task_queue()
    record = OutgoingEmail.objects.get()
    assert (record.status, record.attempts) == (EmailStatus.ERROR, 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()  # later, not at once

    smtp_server.refused.clear()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    task_queue()

    record.refresh_from_db()
    assert (record.status, record.attempts) == (EmailStatus.DELIVERED, 2)
    assert [m["To"] for m in smtp_server.messages] == ["marie@tiess.test"]
