"""`Authorization: Bearer <token>`: the person a personal token belongs to, with their rights."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from indicators.api.tokens import token_for_secret

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """No header: anonymous (the published data only). A header with an unknown, revoked or
    malformed token: 401, never a silent fall back to anonymous."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: expected “Bearer <token>”.")
            )
        token = token_for_secret(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        return token.owner, token

    def authenticate_header(self, request):
        return KEYWORD


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of the Bearer token (registered when this module loads, from
    ApiConfig.ready)."""

    target_class = BearerTokenAuthentication
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("A personal token, created on the account page.")),
        }
