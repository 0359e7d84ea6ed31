"""Prepared exports: a file a person asked for, built by the task worker, kept a while."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PreparedExportKind(models.TextChoices):
    VALUES_CSV = "values_csv", _("values (CSV)")
    VALUES_XLSX = "values_xlsx", _("values (XLSX)")
    BOARD_REPORT = "board_report", _("board report (XLSX)")
    PLAN_WORKBOOK = "plan_workbook", _("plan workbook (XLSX)")


class PreparedExportStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    RUNNING = "running", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


def prepared_export_upload_to(instance, filename):
    # A folder per export: two files of the same name never overwrite each other.
    return f"exports/{instance.owner_id}/{instance.pk}/{filename}"


class PreparedExport(models.Model):
    """One export asked for by one person: its progress while the worker writes it, then the
    file (through the storage API), readable by that person only until `expires_at`."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="prepared_exports",
        verbose_name=_("asked by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PreparedExportKind)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PreparedExportStatus,
        default=PreparedExportStatus.WAITING,
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(_("file"), upload_to=prepared_export_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Moved forward while the worker writes: a stale heartbeat means the worker stopped.
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PreparedExportKind.values),
                name="indicators_preparedexport_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PreparedExportStatus.values),
                name="indicators_preparedexport_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.owner_id}, {self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("indicators:export_detail", args=[self.pk])
