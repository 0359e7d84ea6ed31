"""Password reset by e-mail, sent by the task worker.

The page only queues `password_reset_mail(address)`, the same single INSERT whether an
account uses the address or not: its answer takes the same time for every address (no timing
signal), and a slow mail server holds no one's page. The worker finds the accounts, applies
the hourly limit, composes the link (never stored) and sends it, retrying a failure with a
fresh link.
"""

from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task

from indicators.models import EmailStatus, OutgoingEmail
from indicators.notifications.delivery import email_deliver
from indicators.notifications.mail import (
    password_reset_message,
    password_reset_quota_left,
    password_reset_record,
)
from indicators.notifications.tasks import retry_later


@task(priority=20)
def password_reset_mail(*, address: str) -> int:
    """Send the reset link to each active account using `address`; returns how many."""
    sent = 0
    for user in PasswordResetForm().get_users(address):
        to = user.email  # the account's own spelling, as Django's form sends it
        if not password_reset_quota_left(to):
            continue
        message = password_reset_message(user=user, address=to)
        record = password_reset_record(user=user, address=to, subject=message.subject)
        _deliver(record, message, attempt=1)
        sent += 1
    return sent


@task(priority=20)
def password_reset_retry(*, record_id: int, attempt: int) -> str:
    """Another attempt at a reset e-mail that failed, with a fresh link."""
    record = OutgoingEmail.objects.select_related("recipient").filter(pk=record_id).first()
    if record is None or record.status == EmailStatus.DELIVERED:
        return "skipped"
    message = password_reset_message(user=record.recipient, address=record.address)
    return _deliver(record, message, attempt=attempt)


def _deliver(record, message, *, attempt):
    record = email_deliver(record=record, message=message)
    if record.status == EmailStatus.ERROR:
        retry_later(password_reset_retry, attempt, record_id=record.pk)
    return record.status
