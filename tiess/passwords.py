"""Changing one's password: wrong current passwords count as failed logins (django-axes).

Without this, the password-change form would let anyone holding a session try current
passwords without limit. Each wrong one is a login failure for that user name and address;
after AXES_FAILURE_LIMIT of them (shared with the login form) the French lockout page
answers, as it does for the login form.
"""

from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError


class ThrottledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        """Check the current password through the authentication backends (axes first).

        A wrong password sends `user_login_failed`, which axes counts; a locked-out user is
        refused before the password is checked, and axes' middleware shows the lockout page.
        """
        old_password = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if user is None or user.pk != self.user.pk:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ThrottledPasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
