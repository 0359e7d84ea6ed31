"""Preview → confirm: the one session protocol of the imports (values, plan workbook).

The preview validates the uploaded file without writing anything and keeps what the
confirmation needs (the file's rows as plain text, never the file) in the session, under a
fresh token that the preview page posts back. `PreviewSession.load` gives it back only with
that token, to the person who made the preview, within MAX_AGE; otherwise it raises
PreviewRefused, whose French message the view shows before asking for the file again.
"""

import secrets
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

# Seconds between a preview and its confirmation; the values checked may change meanwhile.
MAX_AGE = 60 * 60


class PreviewRefused(Exception):
    """The confirmation matches no preview kept in the session (str: why, in French)."""


@dataclass(frozen=True)
class PreviewSession:
    """One import's preview, kept in the session under `key` until it is confirmed."""

    key: str

    def store(self, request, data) -> str:
        """Keep `data` (JSON-serialisable) for the confirmation; return the page's token."""
        token = secrets.token_hex(16)
        request.session[self.key] = {
            "token": token,
            "user": request.user.pk,
            "at": int(timezone.now().timestamp()),
            "data": data,
        }
        return token

    def load(self, request):
        """The data of the preview that the posted token confirms; PreviewRefused if none."""
        stored = request.session.get(self.key)
        if not stored or timezone.now().timestamp() - stored.get("at", 0) > MAX_AGE:
            raise PreviewRefused(_("This import has expired; upload the file again."))
        posted = request.POST.get("token", "").encode()
        expected = str(stored.get("token", "")).encode()
        if stored.get("user") != request.user.pk or not secrets.compare_digest(expected, posted):
            raise PreviewRefused(
                _("This confirmation does not match your last preview; upload the file again.")
            )
        return stored["data"]

    def drop(self, request) -> None:
        """Forget the preview (it was confirmed)."""
        request.session.pop(self.key, None)
