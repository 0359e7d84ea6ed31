"""Fixtures of the API tests: tokens of each role, and clients that send them."""

import pytest
from django.test import Client

from indicators.api.tokens import token_create, token_revoke


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class TokenClient(Client):
    """A client that sends `Authorization: Bearer <secret>` with every request (no session)."""

    def __init__(self, secret=None, **kwargs):
        super().__init__(raise_request_exception=True, **kwargs)
        self.secret = secret

    def request(self, **request):
        if self.secret:
            request.update(bearer(self.secret))
        return super().request(**request)


@pytest.fixture
def token_of():
    """token_of(user) → (token, secret)."""
    return lambda user, name="Excel": token_create(owner=user, name=name)


@pytest.fixture
def api_clients(staff_user, board_user, admin_user, token_of):
    """{role: client}: anonymous, a token of each role, and a revoked token."""
    revoked, revoked_secret = token_of(staff_user, "Révoqué")
    token_revoke(owner=staff_user, token_id=revoked.pk)
    return {
        "anonymous": TokenClient(),
        "staff": TokenClient(token_of(staff_user)[1]),
        "board": TokenClient(token_of(board_user)[1]),
        "admin": TokenClient(token_of(admin_user)[1]),
        "revoked": TokenClient(revoked_secret),
    }
