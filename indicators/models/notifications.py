"""E-mail: each person's preferences and every message sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models.periods import ReportingPeriod


class ProfileLanguage(models.TextChoices):
    FRENCH = "fr-ca", _("French")
    ENGLISH = "en", _("English")


REMINDER_DAYS_BEFORE_MAX = 60


def default_reminder_days_before():
    return settings.REMINDER_DAYS_BEFORE


class Profile(models.Model):
    """A person's own settings: the language of their e-mails, reminders, the board digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=ProfileLanguage,
        default=ProfileLanguage.FRENCH,
    )
    reminders_enabled = models.BooleanField(
        _("send me reminders"),
        default=True,
        help_text=_("Before the due date of a period, on that date, then weekly while late."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("days of notice"),
        default=default_reminder_days_before,
        validators=[MinValueValidator(1), MaxValueValidator(REMINDER_DAYS_BEFORE_MAX)],
        help_text=_("How many days before the due date the first reminder arrives."),
    )
    board_digest_opt_in = models.BooleanField(
        _("send me the board digest"),
        default=False,
        help_text=_("One e-mail when a meeting pack is ready: summary and points to watch."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=ProfileLanguage.values),
                name="indicators_profile_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(reminder_days_before__gte=1)
                & Q(reminder_days_before__lte=REMINDER_DAYS_BEFORE_MAX),
                name="indicators_profile_days_before_in_range",
            ),
        ]

    def __str__(self):
        return self.user.get_username()


class EmailKind(models.TextChoices):
    REMINDER_BEFORE = "reminder_before", _("reminder before the due date")
    REMINDER_DUE = "reminder_due", _("reminder on the due date")
    REMINDER_OVERDUE = "reminder_overdue", _("weekly reminder while late")
    BOARD_DIGEST = "board_digest", _("board digest")
    PASSWORD_RESET = "password_reset", _("password reset")
    VALIDATION_RETURNED = "validation_returned", _("value returned to its author")
    VALIDATION_DIGEST = "validation_digest", _("values to validate")


REMINDER_KINDS = [
    EmailKind.REMINDER_BEFORE,
    EmailKind.REMINDER_DUE,
    EmailKind.REMINDER_OVERDUE,
]


class EmailStatus(models.TextChoices):
    SENDING = "sending", _("being sent")
    DELIVERED = "delivered", _("delivered")
    ERROR = "error", _("error")


class OutgoingEmail(models.Model):
    """One e-mail to one person: what, when, and whether the mail server accepted it.

    A reminder (person, kind, period, week) and a digest (person, reference) exist once: a
    failed one is retried by updating its row, so nobody gets the same message twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="emails_received",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind)
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period"),
    )
    sequence = models.PositiveSmallIntegerField(
        _("week late"), default=0, help_text=_("1, 2… for the weekly reminders; 0 otherwise.")
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("What a digest is about, e.g. the meeting pack."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=EmailStatus)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), help_text=_("Time of the last attempt."))
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period", "sequence"],
                condition=Q(kind__in=REMINDER_KINDS),
                name="indicators_outgoingemail_one_reminder",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "reference"],
                condition=Q(kind=EmailKind.BOARD_DIGEST),
                name="indicators_outgoingemail_one_digest",
            ),
            # A returned value's e-mail (reference: its version), a coordinator's daily digest.
            models.UniqueConstraint(
                fields=["recipient", "kind", "reference"],
                condition=Q(kind__in=[EmailKind.VALIDATION_RETURNED, EmailKind.VALIDATION_DIGEST]),
                name="indicators_outgoingemail_one_validation_email",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EmailKind.values), name="indicators_outgoingemail_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values),
                name="indicators_outgoingemail_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=REMINDER_KINDS) | Q(period__isnull=False),
                name="indicators_outgoingemail_reminder_has_period",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address} ({self.get_status_display()})"
