"""The mail tasks (Django's task framework): every e-mail is sent by the worker, retried.

Requests and commands only queue: a slow or failing mail server holds nobody's page.
"""

from django_tasks import task

from indicators.models import EmailStatus, OutgoingEmail
from indicators.notifications.delivery import email_deliver, message_of, retry_at


def retry_later(task_, attempt: int, **kwargs) -> bool:
    """Queue `task_` again for attempt `attempt + 1`, if one remains and the backend can
    wait; False otherwise (the failure stays recorded, for the next run or the admin)."""
    when = retry_at(attempt)
    if when is None or not task_.get_backend().supports_defer:
        return False
    task_.using(run_after=when).enqueue(**kwargs, attempt=attempt + 1)
    return True


@task(priority=10)
def email_send(*, record_id: int, message: dict, attempt: int = 1) -> str:
    """Send one composed message (reminders, board digest) and record the outcome."""
    record = OutgoingEmail.objects.filter(pk=record_id).first()
    if record is None or record.status == EmailStatus.DELIVERED:
        return "skipped"
    record = email_deliver(record=record, message=message_of(message))
    if record.status == EmailStatus.ERROR:
        retry_later(email_send, attempt, record_id=record_id, message=message)
    return record.status
