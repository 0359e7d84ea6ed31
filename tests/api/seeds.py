"""Data for the API's leak tests: unique markers in what must not leave the site."""

import datetime

from django.contrib.auth import get_user_model

from indicators.models import MeasureKind, MeasurementStatus
from plan.roles import STAFF_GROUP
from tests import codes, factories

# Never in any API answer, whoever reads: comments, evidence, people.
NEVER = {
    "comment": "MARQUEUR-COMMENTAIRE-7f3a",
    "evidence": "MARQUEUR-PIECE-2b9c",
    "first_name": "MARQUEUR-PRENOM-5d1e",
    "email": "marqueur-courriel-8a4f@example.org",
}
# Only for those who read drafts (staff, administrators): a plan being prepared.
DRAFT = {
    "plan": "MARQUEUR-BROUILLON-PLAN-1c6d",
    "orientation": "MARQUEUR-BROUILLON-ORIENTATION-9e2b",
    "indicator": "MARQUEUR-BROUILLON-INDICATEUR-4a7c",
    "story": "MARQUEUR-BROUILLON-RECIT-3f8d",
}
# Read with a token of the current plan's readers, never without a token (not published).
UNPUBLISHED = {
    "story": "MARQUEUR-RECIT-INTERNE-6b2e",
    "explanation": "MARQUEUR-NON-MESURE-0d5a",
}


def seed_markers(*, admin_user):
    """Markers in the current plan's values and in a draft plan; returns nothing."""
    plan = codes.the_plan()
    recorder = factories.member(
        "marqueur",
        STAFF_GROUP,
        password="mot-de-passe-marqueur",
        first_name=NEVER["first_name"],
        email=NEVER["email"],
    )
    first, second = codes.period("2018-2019"), codes.period("2019-2020")
    measured = factories.measurement(
        codes.indicator("1.2"),
        first,
        recorder,
        value=3,
        narrative=UNPUBLISHED["story"],
        comment=NEVER["comment"],
    )
    factories.evidence_file(measured, recorder, name=f"{NEVER['evidence']}.pdf")
    factories.measurement(
        codes.indicator("1.2"),
        second,
        recorder,
        status=MeasurementStatus.NOT_MEASURED,
        explanation=UNPUBLISHED["explanation"],
    )
    factories.target(codes.indicator("1.2"), first, 5)
    _draft_plan(recorder, after=plan)
    assert get_user_model().objects.filter(pk=admin_user.pk).exists()


def _draft_plan(recorder, *, after):
    """A plan newer than the current one, neither current nor closed: a draft."""
    draft = factories.plan(
        start_year=after.end_year, end_year=after.end_year + 5, title=DRAFT["plan"]
    )
    orientation = factories.orientation(draft, title=DRAFT["orientation"])
    result = factories.result(orientation)
    indicator = factories.indicator(result, kind=MeasureKind.COUNT, wording=DRAFT["indicator"])
    period = factories.period(draft, year=datetime.date.today().year)
    factories.measurement(indicator, period, recorder, value=1, narrative=DRAFT["story"])
