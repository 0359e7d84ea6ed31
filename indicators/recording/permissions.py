"""Who may record values: one rule for the views, the templates and the menus.

Recording a value means adding or correcting one (the staff's role, see plan/roles.py).
Views take `record_required`; templates read `can_record` (context processor `recording`,
registered in the settings); other code asks `can_record(user)`.
"""

from django.contrib.auth.decorators import permission_required
from django.utils.functional import SimpleLazyObject

RECORD_PERMISSIONS = ("indicators.add_measurement", "indicators.change_measurement")

# A view decorator: 403 for people who may not record (after login_required).
record_required = permission_required(RECORD_PERMISSIONS, raise_exception=True)


def can_record(user) -> bool:
    """Whether `user` may record or correct values."""
    return user.has_perms(RECORD_PERMISSIONS)


def recording(request):
    """Template context: `can_record`, read only by the pages that ask it."""
    user = getattr(request, "user", None)
    return {"can_record": SimpleLazyObject(lambda: user is not None and can_record(user))}
