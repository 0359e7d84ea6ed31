"""A person's own account: e-mail preferences (language, reminders, digest), password reset."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from indicators.models import Profile
from indicators.notifications.mail import profile_of
from indicators.notifications.reset import password_reset_mail
from plan.roles import BOARD_GROUP


def profile_update(
    *,
    user,
    language: str,
    reminders_enabled: bool | None = None,
    reminder_days_before: int | None = None,
    board_digest_opt_in: bool | None = None,
) -> Profile:
    """Save the person's preferences; a preference given as None is left as it is."""
    profile = profile_of(user)
    profile.language = language
    if reminders_enabled is not None:
        profile.reminders_enabled = reminders_enabled
    if reminder_days_before is not None:
        profile.reminder_days_before = reminder_days_before
    if board_digest_opt_in is not None:
        profile.board_digest_opt_in = board_digest_opt_in
    profile.full_clean()
    profile.save()
    return profile


def is_board_member(user) -> bool:
    return user.groups.filter(name=BOARD_GROUP).exists()


class EmailPreferencesForm(forms.ModelForm):
    """Each person is offered what applies to their role: the reminders to record values to
    those who record them, the digest of meeting packs to board members."""

    class Meta:
        model = Profile
        fields = ["language", "reminders_enabled", "reminder_days_before", "board_digest_opt_in"]

    def __init__(self, *args, board_member, records_values, **kwargs):
        super().__init__(*args, **kwargs)
        # Its callable default would add a hidden "initial" twin carrying aria-describedby,
        # invalid on a hidden input; nothing here compares with the initial value.
        self.fields["reminder_days_before"].show_hidden_initial = False
        if not records_values:
            del self.fields["reminders_enabled"]
            del self.fields["reminder_days_before"]
        if not board_member:
            del self.fields["board_digest_opt_in"]


class PasswordResetByEmailForm(PasswordResetForm):
    """Django's form; on a valid address it only queues the e-mail (notifications/reset.py):
    the same work, so the same time, whether an account uses the address or not."""

    def save(self, *args, **kwargs):
        password_reset_mail.enqueue(address=self.cleaned_data["email"])
