"""How the admin names each model inside a sentence, article and agreement included.

Django's French builds its titles from a model's bare name (« Ajout de indicateur »,
« Supprimer les périodes de suivi sélectionnés »). French needs the article and the agreement
of each noun, so each model gives three noun phrases, keyed by its label:

- `a`: one new object, for « Ajouter un indicateur » (add pages, buttons, inline rows);
- `the`: one object, for « Modifier l’indicateur », « Impossible de supprimer l’indicateur »;
- `selected`: the selected objects, for « Supprimer les périodes de suivi sélectionnées ».

A model shown only as an inline needs only `a`. tiess/admin_site.py puts them in sentences.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Nouns:
    a: Promise
    the: Promise | None = None
    selected: Promise | None = None


NOUNS = {
    # Django and django-axes
    "auth.user": Nouns(_("a user"), _("the user"), _("the selected users")),
    "auth.group": Nouns(_("a group"), _("the group"), _("the selected groups")),
    "axes.accessattempt": Nouns(
        _("an access attempt"), _("the access attempt"), _("the selected access attempts")
    ),
    "axes.accesslog": Nouns(_("an access log"), _("the access log"), _("the selected access logs")),
    "axes.accessfailurelog": Nouns(
        _("an access failure"), _("the access failure"), _("the selected access failures")
    ),
    "django_tasks_database.dbtaskresult": Nouns(
        _("a background task"), _("the background task"), _("the selected background tasks")
    ),
    # plan
    "plan.strategicplan": Nouns(
        _("a strategic plan"), _("the strategic plan"), _("the selected strategic plans")
    ),
    "plan.orientation": Nouns(
        _("an orientation"), _("the orientation"), _("the selected orientations")
    ),
    "plan.result": Nouns(
        _("an expected result"), _("the expected result"), _("the selected expected results")
    ),
    "plan.strategy": Nouns(_("a strategy"), _("the strategy"), _("the selected strategies")),
    "plan.organisationalvalue": Nouns(_("an organisational value")),
    "plan.resultitem": Nouns(_("a result sub-item")),
    "plan.strategyitem": Nouns(_("a strategy sub-item")),
    # indicators
    "indicators.dimension": Nouns(
        _("a breakdown dimension"),
        _("the breakdown dimension"),
        _("the selected breakdown dimensions"),
    ),
    "indicators.category": Nouns(_("a category")),
    "indicators.indicator": Nouns(
        _("an indicator"), _("the indicator"), _("the selected indicators")
    ),
    "indicators.scalelevel": Nouns(_("a scale level")),
    "indicators.target": Nouns(_("a target")),
    "indicators.reportingperiod": Nouns(
        _("a reporting period"), _("the reporting period"), _("the selected reporting periods")
    ),
    "indicators.measurement": Nouns(
        _("a measurement"), _("the measurement"), _("the selected measurements")
    ),
    "indicators.measurementbreakdown": Nouns(_("a breakdown value")),
    "indicators.evidence": Nouns(_("an evidence file")),
    "indicators.strategyprogress": Nouns(
        _("a strategy state"), _("the strategy state"), _("the selected strategy states")
    ),
    "indicators.profile": Nouns(_("a profile"), _("the profile"), _("the selected profiles")),
    "indicators.outgoingemail": Nouns(
        _("a sent e-mail"), _("the sent e-mail"), _("the selected sent e-mails")
    ),
    # the board
    "board.meeting": Nouns(
        _("a board meeting"), _("the board meeting"), _("the selected board meetings")
    ),
    "board.meetingpack": Nouns(
        _("a meeting pack"), _("the meeting pack"), _("the selected meeting packs")
    ),
    "board.meetingpackremoval": Nouns(
        _("a removed meeting pack"),
        _("the removed meeting pack"),
        _("the selected removed meeting packs"),
    ),
}


def nouns_of(model) -> Nouns | None:
    """The noun phrases of a model, or None for a model the admin does not name yet."""
    return NOUNS.get(model._meta.label_lower)
