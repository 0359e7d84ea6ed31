"""The leak test: unpublished data seeded with unique markers never reaches a public response.

Every public URL (found by walking the resolver, each plan's years substituted, in French
and in English, from the cache and fresh) is read anonymously; none may contain a marker of
an unpublished indicator, value, story, comment, target, evidence, person, draft plan or
private period. The published data is checked to be there, so the test cannot pass on an
empty page.
"""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from indicators.models import MeasureKind, MeasurementStatus, StrategyState
from plan.models import StrategicPlan
from plan.roles import STAFF_GROUP
from tests import codes, factories
from tests.public.published import publish
from tests.security.url_map import project_urls

# Words that must never be public, and numbers (checked with and without digit grouping).
MARKERS = [
    "LEAKWORDING",
    "LEAKSTORY",
    "LEAKEXPLANATION",
    "LEAKCOMMENT",
    "LEAKTARGETCOMMENT",
    "LEAKBASELINECOMMENT",
    "LEAKSOURCE",
    "LEAKMETHOD",
    "LEAKRESPONSIBLE",
    "LEAKEVIDENCE",
    "Leakfirst",
    "Leaklast",
    "leak.person@example.test",
    "leakuser",
    "LEAKDRAFTPLAN",
    "LEAKDRAFTORIENTATION",
    "LEAKCLOSEDPLAN",
    "LEAKOPENSTORY",
    "LEAKSTRATEGYNOTE",
]
NUMBERS = ["918273", "777333", "4455667", "606061"]
PUBLISHED = ["PUBLICSTORYOK", "31 415"]


@pytest.fixture
def seeded(plan_2018_2023, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _seed(plan_2018_2023)


def _seed(plan):
    person = factories.member(
        "leakuser",
        STAFF_GROUP,
        password="mot-de-passe-fuite",
        first_name="Leakfirst",
        last_name="Leaklast",
        email="leak.person@example.test",
    )
    plan.is_published = True
    plan.save()  # publishes locked periods only (the default)
    locked, open_period = codes.period("2018-2019"), codes.period("2019-2020")
    locked.is_locked = True
    locked.save()
    # A published indicator with a public story; its value's comment and evidence stay out.
    shown = codes.indicator("2.1")
    shown.kind, shown.unit = MeasureKind.COUNT, "personnes"
    shown.responsible, shown.responsible_name = person, "LEAKRESPONSIBLE"
    shown.data_source, shown.method = "LEAKSOURCE", "LEAKMETHOD"
    shown.baseline_comment = "LEAKBASELINECOMMENT"
    publish(shown)
    value = factories.measurement(
        shown, locked, person, 31415, narrative="PUBLICSTORYOK", comment="LEAKCOMMENT"
    )
    factories.evidence_file(value, person, name="LEAKEVIDENCE.pdf")
    factories.target(shown, locked, 40000, comment="LEAKTARGETCOMMENT")
    # The same indicator in a period still open: nothing of it is public.
    factories.measurement(shown, open_period, person, 777333, narrative="LEAKOPENSTORY")
    factories.target(shown, open_period, 4455667)
    # A published indicator whose story stays internal (a narrative and a "not measured").
    internal = publish(codes.indicator("2.2"), story=False)
    factories.measurement(internal, locked, person, 5, narrative="LEAKSTORY")
    not_measured = publish(codes.indicator("3.1"), story=False)
    factories.measurement(
        not_measured,
        locked,
        person,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="LEAKEXPLANATION",
    )
    # An indicator that is not published, with a value.
    hidden = factories.indicator(codes.result(2), order=30, wording="LEAKWORDING compté")
    factories.measurement(hidden, locked, person, 918273)
    factories.strategy_progress(
        codes.strategy("1.1"),
        locked,
        person,
        state=StrategyState.IN_PROGRESS,
        note="LEAKSTRATEGYNOTE",
    )
    _seed_other_plans(person)
    return plan


def _seed_other_plans(person):
    """A draft (ticked « published »: a draft is never public) and an older closed plan that
    is not published, each with a published indicator and a value."""
    draft = factories.plan(start_year=2023, end_year=2028, title="LEAKDRAFTPLAN")
    closed = factories.plan(start_year=2013, end_year=2018, title="LEAKCLOSEDPLAN", is_closed=True)
    for plan, orientation_title in [(draft, "LEAKDRAFTORIENTATION"), (closed, "LEAKCLOSEDPLAN")]:
        plan.is_published = True
        plan.publishes_locked_periods_only = False
        plan.save()
        orientation = factories.orientation(plan, title=orientation_title)
        indicator = factories.indicator(factories.result(orientation), wording=orientation_title)
        publish(indicator)
        factories.measurement(indicator, factories.period(plan), person, 606061)
    closed.is_published = False
    closed.save()
    assert draft not in StrategicPlan.objects.adopted()


def public_paths():
    """Every public URL pattern made concrete, with each plan's years (published or not)."""
    paths = []
    for name, route in project_urls().items():
        if not name.startswith("public:"):
            continue
        if "<public_years:years>" in route:
            paths += [
                "/" + route.replace("<public_years:years>", plan.years)
                for plan in StrategicPlan.objects.all()
            ]
        else:
            paths.append("/" + route)
    assert len(paths) >= 6
    return paths


def plain(text):
    """The text with every space and digit grouping removed (« 918 273 », 918,273 → 918273)."""
    return re.sub(r"[\s\u00a0\u202f,]", "", text)


def leaks(text):
    found = [marker for marker in MARKERS if marker.lower() in text.lower()]
    return found + [number for number in NUMBERS if number in plain(text)]


@pytest.mark.parametrize("language", ["fr-ca", "en"])
@pytest.mark.parametrize("cached", [False, True])
def test_no_unpublished_data_in_any_public_response(seeded, settings, language, cached):
    if cached:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found, read = {}, []
    for path in public_paths():
        for _ in range(2 if cached else 1):  # the second read comes from the cache
            response = client.get(path)
            assert response.status_code in (200, 404), path
            text = response.content.decode()
            read.append(text)
            if leaks(text):
                found[path] = leaks(text)
    cache.clear()
    assert found == {}
    page = "".join(read)
    for published in PUBLISHED:
        assert plain(published) in plain(page), published


def test_no_unpublished_page_answers_200(seeded):
    client = Client()
    assert client.get("/public/2023-2028/").status_code == 404  # the draft
    assert client.get("/public/2013-2018/").status_code == 404  # not published
    assert client.get("/public/2018-2023/").status_code == 200


def test_the_markers_are_in_the_database_and_shown_to_staff(seeded, staff_client):
    """The markers are real: the board's own pages show them to logged-in staff."""
    text = staff_client.get(f"/resultats/{codes.result(2).pk}/").content.decode()
    assert {"LEAKWORDING", "LEAKOPENSTORY", "777333"} <= set(leaks(text))
    assert Decimal("918273") in codes.indicator("2.30").measurements.values_list("value", flat=True)
