"""Pages of a person's own account: e-mail preferences, password reset by e-mail."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.models import ProfileLanguage
from indicators.notifications.account import (
    EmailPreferencesForm,
    PasswordResetByEmailForm,
    is_board_member,
    profile_update,
)
from indicators.notifications.mail import mail_is_configured, profile_of
from indicators.recording.permissions import can_record


@login_required
def email_preferences(request):
    """The person's own e-mail settings: language, reminders and their notice, the digest."""
    profile = profile_of(request.user)
    board_member = is_board_member(request.user)
    initial = {}
    if profile.pk is None and request.LANGUAGE_CODE == ProfileLanguage.ENGLISH:
        initial["language"] = ProfileLanguage.ENGLISH
    form = EmailPreferencesForm(
        request.POST or None,
        instance=profile,
        initial=initial,
        board_member=board_member,
        records_values=can_record(request.user),
    )
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your e-mail preferences were saved."))
        return redirect("email_preferences")
    return render(
        request,
        "indicators/profile_form.html",
        {"form": form, "mail_configured": mail_is_configured(), "profile": profile},
    )


_password_reset = auth_views.PasswordResetView.as_view(form_class=PasswordResetByEmailForm)


def password_reset(request):
    """Django's password reset by e-mail when mail is configured; otherwise, whom to ask."""
    if not mail_is_configured():
        return render(request, "registration/password_reset_unavailable.html")
    return _password_reset(request)


@require_safe
@login_required
def landing(request):
    """Where a login without `next` leads: staff to « À saisir », the board to the dashboard."""
    if can_record(request.user):
        return redirect("indicators:measurement_todo")
    return redirect("/")
