"""Handing one message to the mail server, in the task worker, with retries.

A message travels to the worker as plain data (`message_data`); the worker sends it
(`email_deliver`, recorded on its `OutgoingEmail` row, never raised) and, on a failure, queues
it again later (RETRY_AFTER) while attempts remain. Retries need a queue that can wait (the
database backend); with the immediate backend a failure stays recorded for the next run.
"""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from indicators.models import EmailStatus, OutgoingEmail

logger = logging.getLogger("tiess.mail")

# Waits before the 2nd, 3rd and 4th attempts; then the failure stays recorded (admin).
RETRY_AFTER = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=10),
    datetime.timedelta(hours=1),
]
MAX_ATTEMPTS = len(RETRY_AFTER) + 1


def message_data(message: EmailMultiAlternatives) -> dict:
    """The message as JSON-ready data for the task queue."""
    html = next((content for content, kind in message.alternatives if kind == "text/html"), "")
    return {
        "subject": message.subject,
        "body": message.body,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "html": html,
    }


def message_of(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], to=data["to"], headers=data["headers"]
    )
    if data["html"]:
        message.attach_alternative(data["html"], "text/html")
    return message


def email_deliver(*, record: OutgoingEmail, message: EmailMultiAlternatives) -> OutgoingEmail:
    """Hand the message to the mail server and record the outcome; never raises."""
    record.attempts += 1
    record.message_id = message.extra_headers["Message-ID"]
    try:
        sent = message.send()
    except Exception as error:  # any failure is recorded and retried, never raised
        record.status = EmailStatus.ERROR
        record.error = f"{type(error).__name__}: {error}"
        logger.warning("E-mail %s to %s failed: %s", record.kind, record.address, record.error)
    else:
        if sent:
            record.status = EmailStatus.DELIVERED
            record.error = ""
        else:
            record.status = EmailStatus.ERROR
            record.error = "E-mail is not configured (EMAIL_URL): nothing was sent."
    record.sent_at = timezone.now()
    record.save(update_fields=["status", "error", "attempts", "sent_at", "message_id"])
    return record


def retry_at(attempt: int):
    """When attempt `attempt + 1` may run, or None when none remains."""
    if attempt >= MAX_ATTEMPTS:
        return None
    return timezone.now() + RETRY_AFTER[attempt - 1]
