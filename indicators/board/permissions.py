"""Who may act on the board's records beyond Django's model permissions: the one rule of
"only a superuser removes a meeting pack", asked by the view, its template and the service."""


def can_remove_pack(user):
    """A frozen pack is the board's record: only a superuser removes one (with a reason)."""
    return user.is_superuser
