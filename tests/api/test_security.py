"""The API's leak and write walk: every endpoint, without a token, with a token of each role
and with a revoked one; unique markers prove what each reader gets, and no method writes."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from indicators.api.models import ApiToken
from indicators.models import Indicator, Measurement, ReportingPeriod, Target
from plan.models import Orientation, Result, StrategicPlan, Strategy
from tests.api.seeds import DRAFT, NEVER, PUBLISHED, UNPUBLISHED, seed_markers
from tests.security.url_map import project_urls

pytestmark = pytest.mark.django_db

# Each resource's model, for the ids its detail URL is walked with.
MODELS = {
    "plan": StrategicPlan,
    "orientation": Orientation,
    "result": Result,
    "strategy": Strategy,
    "indicator": Indicator,
    "period": ReportingPeriod,
    "target": Target,
    "value": Measurement,
}
WRITES = ("post", "put", "patch", "delete")


def api_list_names():
    return sorted(
        name
        for name, route in project_urls().items()
        if route.startswith("api/") and name.endswith("_list")
    )


def every_api_path(*, objects=None):
    """Every list (JSON and CSV) and every object of every resource, whatever its plan (or
    the first `objects` of each)."""
    for name in api_list_names():
        path = reverse(name)
        yield path
        yield path + "?format=csv"
        resource = name.removeprefix("api:").removesuffix("_list")
        if resource in MODELS:
            pks = MODELS[resource].objects.order_by("pk").values_list("pk", flat=True)
            for pk in pks[:objects]:
                yield reverse(f"api:{resource}_detail", args=[pk])


def test_every_api_resource_is_walked():
    """A new resource without a model here would escape the walk of its objects."""
    resources = {name.removeprefix("api:").removesuffix("_list") for name in api_list_names()}
    assert resources == {*MODELS, "status"}


def _answers(client):
    """{path: (status, text)} for every API path."""
    answers = {}
    for path in every_api_path():
        response = client.get(path)
        answers[path] = (response.status_code, response.content.decode("utf-8-sig"))
    return answers


def _found(answers, markers):
    return sorted(
        f"{marker} in {path}"
        for path, (_status, text) in answers.items()
        for marker in markers.values()
        if marker in text
    )


def test_anonymous_and_revoked_readers_get_no_marker(api_clients, staff_user):
    """Without a token: what the public page publishes, and nothing else."""
    seed_markers(staff_user=staff_user)
    for role in ("anonymous", "revoked"):
        answers = _answers(api_clients[role])
        assert _found(answers, {**NEVER, **DRAFT, **UNPUBLISHED}) == [], role
        if role == "revoked":
            assert {status for status, _text in answers.values()} == {401}
        else:
            # The published story is read in the values' JSON, CSV and object answers.
            assert len(_found(answers, PUBLISHED)) >= 3
            assert {status for status, _text in answers.values()} == {200, 404}


@pytest.mark.parametrize("role", ["staff", "board", "admin"])
def test_a_token_reads_what_its_owner_reads(api_clients, staff_user, role):
    seed_markers(staff_user=staff_user)
    answers = _answers(api_clients[role])
    assert _found(answers, NEVER) == []
    # Every reader of the current plan reads what it does not publish (the walk does look).
    found = {marker.split(" in ")[0] for marker in _found(answers, UNPUBLISHED)}
    assert found == set(UNPUBLISHED.values())
    drafts = _found(answers, DRAFT)
    if role == "board":
        assert drafts == []
    else:
        assert {marker.split(" in ")[0] for marker in drafts} == set(DRAFT.values())
    assert {status for status, _text in answers.values()} <= {200, 404}


def _database():
    """The data the API could change, as text (the tokens' last use aside)."""
    out = io.StringIO()
    call_command("dumpdata", "plan", "indicators", "board", "auth.user", stdout=out)
    tokens = list(ApiToken.objects.order_by("pk").values_list("pk", "name", "revoked_at"))
    return out.getvalue(), tokens


@pytest.mark.parametrize("role", ["anonymous", "staff", "board", "admin", "revoked", "session"])
def test_no_method_writes(api_clients, admin_user, staff_user, recorded_data, role):
    seed_markers(staff_user=staff_user)
    if role == "session":
        client = Client()
        client.force_login(admin_user)
    else:
        client = api_clients[role]
    before = _database()
    refused = set()
    # Whether a write is refused does not depend on which object: the first of each.
    for path in every_api_path(objects=1):
        if "format=csv" in path:
            continue
        for method in WRITES:
            response = getattr(client, method)(
                path, data={"value": "1", "name": "x"}, content_type="application/json"
            )
            refused.add(response.status_code)
    assert refused <= {401, 403, 405}
    assert _database() == before
    assert Measurement.objects.aggregate(Max("version"))["version__max"] >= 1
