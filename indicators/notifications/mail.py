"""Every e-mail the app sends: composed in the person's language, sent, and recorded.

One path for all of them (reminders, board digest, password reset): plain text with an HTML
alternative, no external image, a footer saying why the person receives it and where to turn
it off, and the `Date`, `Message-ID`, `List-Unsubscribe` and `Auto-Submitted` headers. Each
message is an `OutgoingEmail` row; a failure is recorded on that row, never raised.
"""

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from indicators.models import EmailKind, EmailStatus, OutgoingEmail, Profile, ReportingPeriod
from indicators.notifications import tasks
from indicators.notifications.delivery import message_data
from plan.roles import BOARD_GROUP

logger = logging.getLogger("tiess.mail")

# A row left "being sent" this long ago belongs to a run that died: it may be sent again.
STALE_CLAIM = datetime.timedelta(hours=1)


def mail_is_configured() -> bool:
    """False in production without EMAIL_URL (see tiess.email_backend)."""
    return settings.EMAIL_BACKEND != settings.EMAIL_NOT_CONFIGURED_BACKEND


def site_url(path: str = "") -> str:
    """An absolute address on the site (e-mails are read outside the site)."""
    if urlsplit(path).scheme:
        return path
    return settings.SITE_URL + path


def preferences_url() -> str:
    """The page where a person turns reminders and the digest on or off."""
    return site_url(reverse("email_preferences"))


def profile_of(user) -> Profile:
    """The person's profile, or the defaults (unsaved) when they never opened the page."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def email_compose(
    *, template: str, context: dict, language: str, subject: str | None = None
) -> Composed:
    """Render `email/<template>_subject.txt`, `.txt` and `.html` in `language`."""
    context = {"preferences_url": preferences_url(), "site_url": site_url("/"), **context}
    with translation.override(language):
        if subject is None:
            subject = render_to_string(f"email/{template}_subject.txt", context)
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    return Composed(subject=" ".join(subject.split()), text=text, html=html)


def email_message(
    *, to: str, composed: Composed, unsubscribe_url: str | None = None
) -> EmailMultiAlternatives:
    """The message with its headers; `unsubscribe_url` for messages a person can turn off."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    headers = {
        "Date": formatdate(localtime=True),
        "Message-ID": make_msgid(idstring="tiess", domain=domain),
        # Tells vacation responders not to answer (RFC 3834).
        "Auto-Submitted": "auto-generated",
    }
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message = EmailMultiAlternatives(
        subject=composed.subject, body=composed.text, to=[to], headers=headers
    )
    message.attach_alternative(composed.html, "text/html")
    return message


def email_claim(
    *,
    recipient,
    kind: str,
    subject: str,
    period: ReportingPeriod | None = None,
    sequence: int = 0,
    reference: str = "",
) -> OutgoingEmail | None:
    """The row of this e-mail, marked "being sent"; None if it was delivered already.

    The unique constraints of `OutgoingEmail` make two runs at once claim a message once; a
    row in error (or left "being sent" by a run that died) is claimed again: a retry.
    """
    now = timezone.now()
    identity = {
        "recipient": recipient,
        "kind": kind,
        "period": period,
        "sequence": sequence,
        "reference": reference,
    }
    fields = {"address": recipient.email, "subject": subject, "status": EmailStatus.SENDING}
    retry = Q(status=EmailStatus.ERROR) | Q(
        status=EmailStatus.SENDING, sent_at__lt=now - STALE_CLAIM
    )
    if OutgoingEmail.objects.filter(retry, **identity).update(**fields, sent_at=now):
        return OutgoingEmail.objects.get(**identity)
    if OutgoingEmail.objects.filter(**identity).exists():
        return None
    try:
        with transaction.atomic():
            return OutgoingEmail.objects.create(**identity, **fields, sent_at=now)
    except IntegrityError:  # another run claimed it between the two queries
        return None


def email_queue(*, record: OutgoingEmail, message: EmailMultiAlternatives) -> OutgoingEmail:
    """Queue the claimed message for the worker (tasks.email_send), which sends, records and
    retries it; returns the record as it stands once queued (sent already by the immediate
    backend)."""
    tasks.email_send.enqueue(record_id=record.pk, message=message_data(message))
    record.refresh_from_db()
    return record


@dataclass
class SendReport:
    """What a run did: messages delivered, failed (to retry), skipped (already delivered)."""

    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    queued: int = 0  # handed to the worker, not sent yet

    def count(self, record: OutgoingEmail | None) -> None:
        if record is None:
            self.skipped += 1
        elif record.status == EmailStatus.DELIVERED:
            self.delivered += 1
        elif record.status == EmailStatus.SENDING:
            self.queued += 1
        else:
            self.failed += 1


# --- Password reset -------------------------------------------------------------------------

RESET_WINDOW = datetime.timedelta(hours=1)


def password_reset_quota_left(address: str) -> bool:
    """At most PASSWORD_RESET_MAX_PER_HOUR reset e-mails per address an hour, whoever asks:
    the page answers the same in every case, so the limit reveals nothing."""
    recent = OutgoingEmail.objects.filter(
        kind=EmailKind.PASSWORD_RESET,
        address__iexact=address,
        sent_at__gte=timezone.now() - RESET_WINDOW,
    ).count()
    if recent >= settings.PASSWORD_RESET_MAX_PER_HOUR:
        logger.warning("Password reset for %s refused: too many requests this hour.", address)
        return False
    return True


def password_reset_message(*, user, address: str) -> EmailMultiAlternatives:
    """The reset link (a fresh token), in the person's language. Composed by the worker: the
    link is never stored, not even in the task queue."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    # The link goes to SITE_URL, as every e-mail's, never to the host the request named.
    link = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    composed = email_compose(
        template="password_reset",
        context={
            "user": user,
            "email": address,
            "reset_url": site_url(link),
            "domain": urlsplit(site_url()).netloc,
        },
        language=profile_of(user).language,
    )
    return email_message(to=address, composed=composed)


def password_reset_record(*, user, address: str, subject: str) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        recipient=user,
        address=address,
        kind=EmailKind.PASSWORD_RESET,
        subject=subject,
        status=EmailStatus.SENDING,
        sent_at=timezone.now(),
    )


# --- Board digest ---------------------------------------------------------------------------


def board_digest_recipients():
    """Active board members who asked for the digest and have an address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=BOARD_GROUP, profile__board_digest_opt_in=True)
        .exclude(email="")
        .select_related("profile")
        .distinct()
        .order_by("username")
    )


def board_digest_send(
    *,
    reference: str,
    meeting_title: str,
    meeting_date: datetime.date,
    summary_lines: Sequence[str],
    attention_lines: Sequence[str],
    url: str,
) -> SendReport:
    """One e-mail per board member who opted in: the summary, the points to watch, a link.

    To be called when a meeting pack is frozen. `reference` names the pack (e.g. "pack-12"):
    calling again with the same reference sends nothing to whoever already received it and
    retries whoever did not. The subject names the meeting, in each person's language. `url`
    may be a path on the site or an absolute address.
    """
    report = SendReport()
    context = {
        "meeting_title": meeting_title,
        "meeting_date": meeting_date,
        "summary_lines": list(summary_lines),
        "attention_lines": list(attention_lines),
        "url": site_url(url),
    }
    for member in board_digest_recipients():
        composed = email_compose(
            template="board_digest",
            context={**context, "recipient": member},
            language=member.profile.language,
        )
        record = email_claim(
            recipient=member,
            kind=EmailKind.BOARD_DIGEST,
            subject=composed.subject,
            reference=reference,
        )
        if record is not None:
            message = email_message(
                to=member.email, composed=composed, unsubscribe_url=preferences_url()
            )
            record = email_queue(record=record, message=message)
        report.count(record)
    return report
