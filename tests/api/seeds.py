"""Data for the API's leak tests: the 2018-2023 plan published as the public page's tests
publish it (tests/public/published.py), and unique markers in what must not leave the site."""

import datetime

from indicators.models import MeasureKind, MeasurementStatus
from plan.roles import STAFF_GROUP
from tests import codes, factories
from tests.public.published import publish, publish_plan

# Never in any API answer, whoever reads: comments, evidence, people.
NEVER = {
    "comment": "MARQUEUR-COMMENTAIRE-7f3a",
    "evidence": "MARQUEUR-PIECE-2b9c",
    "first_name": "MARQUEUR-PRENOM-5d1e",
    "email": "marqueur-courriel-8a4f@example.org",
}
# Only for those who read drafts (staff, administrators): a plan being prepared, even ticked
# « published ».
DRAFT = {
    "plan": "MARQUEUR-BROUILLON-PLAN-1c6d",
    "orientation": "MARQUEUR-BROUILLON-ORIENTATION-9e2b",
    "indicator": "MARQUEUR-BROUILLON-INDICATEUR-4a7c",
    "story": "MARQUEUR-BROUILLON-RECIT-3f8d",
}
# Read with a token of the current plan's readers, never without a token (not published).
UNPUBLISHED = {
    "indicator": "MARQUEUR-INDICATEUR-NON-PUBLIE-2c4e",
    "story": "MARQUEUR-RECIT-INDICATEUR-NON-PUBLIE-6b2e",
    "explanation": "MARQUEUR-NON-MESURE-NON-PUBLIE-0d5a",
    "internal_story": "MARQUEUR-RECIT-INTERNE-8e1f",
    "open_period": "MARQUEUR-PERIODE-OUVERTE-5a9b",
    "baseline_comment": "MARQUEUR-COMMENTAIRE-DEPART-3d7c",
    "target": "987654.32",
    "target_csv": "987654,32",
}
# What the public page publishes: read without a token too (the walk does look).
PUBLISHED = {"story": "Cible atteinte en 2019."}


def seed_markers(*, staff_user):
    """The current plan published (periods 2018-2019 and 2019-2020 locked; 2.1, 1.3 and 6.3
    published), markers in what it keeps private, and a draft plan ticked « published »."""
    publish_plan(codes.the_plan(), staff_user)
    recorder = factories.member(
        "marqueur",
        STAFF_GROUP,
        password="mot-de-passe-marqueur",
        first_name=NEVER["first_name"],
        email=NEVER["email"],
    )
    first, second = codes.period("2018-2019"), codes.period("2019-2020")
    hidden = codes.indicator("1.2")
    hidden.definition = UNPUBLISHED["indicator"]
    hidden.save()
    measured = factories.measurement(
        hidden, first, recorder, value=3, narrative=UNPUBLISHED["story"], comment=NEVER["comment"]
    )
    factories.evidence_file(measured, recorder, name=f"{NEVER['evidence']}.pdf")
    factories.measurement(
        hidden,
        second,
        recorder,
        status=MeasurementStatus.NOT_MEASURED,
        explanation=UNPUBLISHED["explanation"],
    )
    factories.target(hidden, first, UNPUBLISHED["target"])
    _published_but_private(recorder)
    _draft_plan(recorder, after=codes.the_plan())


def _published_but_private(recorder):
    """Published indicators' private parts: a story kept internal, an open period's value, a
    baseline comment."""
    internal = publish(codes.indicator("3.1"), story=False)
    internal.kind = MeasureKind.COUNT
    internal.save()
    factories.measurement(
        internal,
        codes.period("2018-2019"),
        recorder,
        value=2,
        narrative=UNPUBLISHED["internal_story"],
    )
    count = codes.indicator("2.1")
    count.baseline_comment = UNPUBLISHED["baseline_comment"]
    count.save()
    factories.measurement(
        count,
        codes.period("2020-2021"),
        recorder,
        value=14,
        narrative=UNPUBLISHED["open_period"],
    )


def _draft_plan(recorder, *, after):
    """A plan newer than the current one, neither current nor closed: a draft."""
    draft = factories.plan(
        start_year=after.end_year,
        end_year=after.end_year + 5,
        title=DRAFT["plan"],
        is_published=True,
    )
    orientation = factories.orientation(draft, title=DRAFT["orientation"])
    result = factories.result(orientation)
    indicator = factories.indicator(result, kind=MeasureKind.COUNT, wording=DRAFT["indicator"])
    publish(indicator)
    period = factories.period(draft, year=datetime.date.today().year, is_locked=True)
    factories.measurement(indicator, period, recorder, value=1, narrative=DRAFT["story"])
