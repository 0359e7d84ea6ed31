from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only API and its personal tokens."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        # The token's OpenAPI description registers itself with drf-spectacular on import.
        from indicators.api import authentication  # noqa: F401
