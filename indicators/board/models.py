"""Board meetings and the packs frozen when a meeting is presented.

A Meeting is a record: its date, title, the period it presents and free notes. Marking it
« présentée » freezes a MeetingPack: a JSON snapshot of everything the board was shown (every
indicator's value, target, status and story, the strategies' states and the summary), kept as
data (snapshot.py), which the pack page renders as it was, forever, in the reader's language.
Packs are written once by `services.meeting_present` and never changed; only a superuser can
remove one, with a reason, and the removal is kept as a MeetingPackRemoval. A closed plan's
meetings are read-only (services.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import ReportingPeriod
from indicators.rules.typography import date_text
from plan.models import StrategicPlan


class MeetingQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(plan=plan)

    def before(self, day):
        """Meetings held before `day` (the latest first)."""
        return self.filter(date__lt=day).order_by("-date", "-pk")


class Meeting(models.Model):
    """A meeting of the board (conseil d'administration) where the plan's progress is shown."""

    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("plan")
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("period presented"),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["-date", "-pk"]
        permissions = [
            ("prepare_meeting", _("Can prepare board meetings and present their packs")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date", "title"], name="board_meeting_unique_date_title"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({date_text(self.date)})"

    def get_absolute_url(self):
        return reverse("board:meeting_detail", args=[self.pk])

    def clean(self):
        if self.period_id and self.plan_id and self.period.plan_id != self.plan_id:
            raise ValidationError(
                {"period": _("The period presented must belong to the meeting’s plan.")}
            )

    @property
    def is_presented(self):
        return hasattr(self, "pack")


class MeetingPack(models.Model):
    """What the board was shown at a meeting, frozen when the meeting was presented."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="pack", verbose_name=_("meeting")
    )
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("frozen by"),
    )
    # The pack as data, read in each reader's language: see indicators/board/snapshot.py.
    content = models.JSONField(_("content"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("meeting pack")
        verbose_name_plural = _("meeting packs")
        ordering = ["-frozen_at"]

    def __str__(self):
        return str(_("Pack of %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self):
        return reverse("board:meetingpack_detail", args=[self.meeting_id])


class MeetingPackRemoval(models.Model):
    """A pack removed by a superuser: who, when, why (the pack itself is gone)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="pack_removals",
        verbose_name=_("meeting"),
    )
    pack_frozen_at = models.DateTimeField(_("pack frozen at"))
    removed_at = models.DateTimeField(_("removed at"))
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("removed by"),
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("removed meeting pack")
        verbose_name_plural = _("removed meeting packs")
        ordering = ["-removed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="board_meetingpackremoval_reason_given",
                violation_error_message=_("Give the reason for removing the pack."),
            ),
        ]

    def __str__(self):
        return str(
            _("Pack of %(meeting)s removed on %(date)s")
            % {
                "meeting": self.meeting,
                "date": date_text(timezone.localtime(self.removed_at)),
            }
        )
