"""Throttling in the shared cache: per token owner, or per address without a token.

The rates are read from the settings at each request (API_THROTTLE_USER, API_THROTTLE_ANON),
not frozen when DRF is imported, so that a deployment (and a test) can change them.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class ReaderRateThrottle(UserRateThrottle):
    scope = "api_user"

    def get_rate(self):
        return settings.API_THROTTLE_USER

    def get_cache_key(self, request, view):
        # Anonymous readers are counted once, by AnonymousRateThrottle.
        if not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "api_anon"

    def get_rate(self):
        return settings.API_THROTTLE_ANON
