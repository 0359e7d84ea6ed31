"""Writes and the one check of personal tokens: create (the secret returned once), revoke,
and find the active token a secret opens (recording its last use)."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.api.models import ApiToken

# A secret reads « tiess_ » then 43 URL-safe characters (256 random bits).
SECRET_PREFIX = "tiess_"
SHOWN_PREFIX_CHARS = 10
# The last use is written at most this often per token: reading must not mean a write each time.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
ACTIVE_TOKENS_MAX = 20


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, owner, name: str) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns it with its secret, which is never stored or shown again."""
    if ApiToken.objects.active().filter(owner=owner).count() >= ACTIVE_TOKENS_MAX:
        raise ValidationError(
            {
                "name": _("You have %(count)s active tokens: revoke one first.")
                % {"count": ACTIVE_TOKENS_MAX}
            }
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        owner=owner,
        name=name.strip(),
        key_hash=key_hash(secret),
        prefix=secret[:SHOWN_PREFIX_CHARS],
    )
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, owner, token_id: int) -> ApiToken:
    """Revoke one of `owner`'s tokens (another person's token is not found: 404 upstream)."""
    token = ApiToken.objects.select_for_update().get(owner=owner, pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token of an active person that `secret` opens, or None; records its use."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    wanted = key_hash(secret)
    token = (
        ApiToken.objects.active()
        .filter(key_hash=wanted, owner__is_active=True)
        .select_related("owner")
        .first()
    )
    # The lookup is on the hash (an index), and the hash is compared in constant time.
    if token is None or not hmac.compare_digest(token.key_hash, wanted):
        return None
    _record_use(token)
    return token


def _record_use(token):
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
