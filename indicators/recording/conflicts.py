"""After a WriteConflict: say what the other person saved, and keep what this person typed.

The form is shown again with the person's entry and the current version, so that a
deliberate second save replaces the other person's value (and only then).
"""

from django import forms
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from indicators.models import Measurement, StrategyProgress, strategy_state_label
from indicators.rules.kinds import kind_of
from indicators.rules.typography import date_text


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def conflict_message(current: Measurement | None) -> str:
    """Why a value was refused: someone saved another one since the form was shown."""
    if current is None:
        return _(
            "This value was changed by someone else since you opened the form. "
            "Reload the page to see the current value."
        )
    when = localtime(current.updated_at)
    return _(
        "%(person)s changed this value since you opened the form: the current value is "
        "“%(value)s” (saved on %(date)s at %(time)s). Your entry was not saved; check the "
        "current value, then save again if your change is still needed."
    ) % {
        "person": _person(current.updated_by),
        "value": kind_of(current.indicator).answer_text(current, current.indicator),
        "date": date_text(when),
        "time": date_text(when, "TIME_FORMAT"),
    }


def strategy_conflict_message(current: StrategyProgress) -> str:
    """Why a strategy's state was refused: someone recorded one since the form was shown."""
    when = localtime(current.recorded_at)
    return _(
        "%(person)s recorded the state of this strategy for %(period)s since you opened the "
        "form: “%(state)s” (on %(date)s at %(time)s). Your entry was not saved; check it, then "
        "save again if your change is still needed."
    ) % {
        "person": _person(current.recorded_by),
        "period": current.period.name,
        "state": strategy_state_label(current.state),
        "date": date_text(when),
        "time": date_text(when, "TIME_FORMAT"),
    }


def keep_typed(form: forms.Form, message: str, **current_versions: object) -> None:
    """Show `message` on `form`, keep what was typed and move its version fields to now.

    `current_versions`: the form's hidden version fields (unprefixed names) and the values
    that describe what is saved now, e.g. version=3.
    """
    form.add_error(None, message)
    form.data = form.data.copy()
    for name, value in current_versions.items():
        form.data[form.add_prefix(name)] = value


def keep_typed_measurement(form: forms.Form, current: Measurement | None) -> None:
    """After a value's WriteConflict: the message, the typed entry, the current version."""
    keep_typed(form, conflict_message(current), version=current.version if current else 0)


def keep_typed_strategy(form: forms.Form, current: StrategyProgress, states) -> None:
    """After a strategy state's WriteConflict; `states`: {period id: StrategyProgress} now."""
    keep_typed(form, strategy_conflict_message(current), seen=form.seen_text(states))
