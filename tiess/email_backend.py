"""Whether the app can send e-mail, and what happens when it cannot.

Without `EMAIL_URL` in production, Django's default would be an SMTP server on localhost:25,
tried silently on every message. The settings use `NotConfiguredEmailBackend` instead: it sends
nothing and logs a warning for every message it drops. `indicators.mail.mail_is_configured()`
is the one question the rest of the app asks (login page, password reset, admin notice,
send_reminders).
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

from indicators.notifications.mail import mail_is_configured

logger = logging.getLogger("tiess.mail")


class NotConfiguredEmailBackend(BaseEmailBackend):
    """Sends nothing (0 messages sent) and says so in the log."""

    def send_messages(self, email_messages):
        for message in email_messages:
            logger.warning(
                "E-mail is not configured (EMAIL_URL is empty): message “%s” to %s not sent.",
                message.subject,
                ", ".join(message.recipients()),
            )
        return 0


def mail_status(request):
    """Context processor: templates show or hide what needs e-mail (reset link, admin notice)."""
    return {"mail_configured": mail_is_configured()}
