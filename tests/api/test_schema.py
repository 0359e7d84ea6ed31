"""The OpenAPI schema describes what the API really answers: every endpoint's real response
is validated against the schema the API serves (jsonschema)."""

import json

import pytest
from jsonschema import Draft202012Validator

from tests import codes, factories
from tests.api.seeds import seed_markers

pytestmark = pytest.mark.django_db


def as_json_schema(node):
    """OpenAPI 3.0's dialect turned into JSON Schema 2020-12: `nullable`, boolean
    `exclusiveMinimum`/`exclusiveMaximum`, `#/components` references kept as they are."""
    if isinstance(node, list):
        return [as_json_schema(each) for each in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    for bound, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if node.get(exclusive) is True:
            node[exclusive] = node.pop(bound)
        elif node.get(exclusive) is False:
            del node[exclusive]
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return as_json_schema(json.loads(response.content))


def _validator(schema, path):
    """The validator of the 200 JSON answer of GET `path` (a template of the schema)."""
    answer = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return Draft202012Validator({**answer["schema"], "components": schema["components"]})


def _rich_data(admin_user):
    """Values of every kind: breakdown, level, not measured, target, draft plan."""
    seed_markers(staff_user=admin_user)
    plan = codes.the_plan()
    result = codes.result(1)
    level = factories.indicator(result, kind="level", baseline_value=1, unit="niveau")
    factories.measurement(level, codes.period("2018-2019"), admin_user, value=3)
    factories.target(level, codes.period("2018-2019"), 4)
    return plan


@pytest.mark.parametrize("role", ["admin", "anonymous"])
def test_every_endpoint_answers_what_the_schema_says(schema, api_clients, admin_user, role):
    """With a token (all data) and without (the published data: other code paths)."""
    plan = _rich_data(admin_user)
    client = api_clients[role]
    checked = []
    for path in schema["paths"]:
        if "get" not in schema["paths"][path]:
            continue
        validator = _validator(schema, path)
        if "{id}" in path:
            listing = client.get(path.replace("{id}/", "")).json()["results"]
            concrete = path.replace("{id}", str(listing[0]["id"]))
        else:
            concrete = f"{path}?plan={plan.pk}&page_size=1000"
        response = client.get(concrete)
        assert response.status_code == 200, concrete
        errors = [error.message for error in validator.iter_errors(response.json())]
        assert errors == [], concrete
        checked.append(path)
    assert len(checked) == 17


def test_the_schema_describes_the_bearer_token(schema):
    assert schema["components"]["securitySchemes"]["jeton"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Un jeton personnel, créé dans la page du compte.",
    }
    values = schema["paths"]["/api/valeurs/"]["get"]
    assert {"plan", "period", "indicator", "page", "page_size", "format"} <= {
        parameter["name"] for parameter in values["parameters"]
    }
