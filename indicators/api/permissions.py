"""Who may call the API: reads only, and a person reads what their permissions let them read."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadsOnlyWhatTheReaderMay(BasePermission):
    """GET/HEAD/OPTIONS only, for everyone (nobody writes through the API). A signed-in
    person (token or session) needs the view permissions of what the endpoint returns (its
    `required_permissions`); without them, 403. Anonymous readers pass here: their querysets
    hold only what the public page publishes (scope.py)."""

    message = _("You do not have permission to read this.")

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            return False
        if not request.user.is_authenticated:
            return True
        return request.user.has_perms(getattr(view, "required_permissions", ()))
