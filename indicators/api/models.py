"""A personal API token: named, stored as a hash only, revocable, with its last use."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NAME_MAX_CHARS = 100


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A person's key to the read-only API; it reads exactly what its owner reads."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_CHARS)
    # sha256 of the secret, in hexadecimal: the secret itself is shown once and never stored.
    key_hash = models.CharField(_("key hash"), max_length=64, editable=False)
    # The secret's first characters, so that its owner can tell two tokens apart.
    prefix = models.CharField(_("beginning of the token"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["owner", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="api_apitoken_unique_key_hash"),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_apitoken_unique_active_name",
                violation_error_message=_("You already have an active token with this name."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_apitoken_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None
