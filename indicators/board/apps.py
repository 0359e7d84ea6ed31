from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    """What the board reads: an app of its own so that it has its template tags."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators.board"
    label = "board"
    verbose_name = _("Board")
