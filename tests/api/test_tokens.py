"""Personal tokens: created on the account page and shown once, stored as a hash, named,
revocable, with their last use; a token reads exactly what its owner reads; throttled."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from indicators.api.models import ApiToken
from indicators.api.tokens import ACTIVE_TOKENS_MAX, token_create, token_for_secret, token_revoke
from tests.api.conftest import TokenClient

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_its_hash_only(staff_user):
    token, secret = token_create(owner=staff_user, name="Excel")
    token.refresh_from_db()
    assert secret.startswith("tiess_")
    assert len(secret) > 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert token.prefix == secret[:10]
    assert token_for_secret(secret) == token
    assert token_for_secret(secret[:-1] + "x") is None


def test_revoked_tokens_and_inactive_owners_open_nothing(staff_user):
    token, secret = token_create(owner=staff_user, name="Excel")
    token_revoke(owner=staff_user, token_id=token.pk)
    assert token_for_secret(secret) is None
    other, other_secret = token_create(owner=staff_user, name="Power BI")
    get_user_model().objects.filter(pk=staff_user.pk).update(is_active=False)
    assert token_for_secret(other_secret) is None


def test_names_of_active_tokens_are_unique_per_person(staff_user, board_user):
    token_create(owner=staff_user, name="Excel")
    token_create(owner=board_user, name="Excel")
    with pytest.raises(ValidationError):
        token_create(owner=staff_user, name="Excel")
    with pytest.raises(IntegrityError):
        ApiToken.objects.create(owner=staff_user, name="Excel", key_hash="x", prefix="x")


def test_a_person_has_at_most_so_many_active_tokens(staff_user):
    for number in range(ACTIVE_TOKENS_MAX):
        token_create(owner=staff_user, name=f"Jeton {number}")
    with pytest.raises(ValidationError, match="révoquez-en un"):
        token_create(owner=staff_user, name="Un de trop")


def test_the_last_use_is_recorded(staff_user, plan_2018_2023):
    token, secret = token_create(owner=staff_user, name="Excel")
    assert token.last_used_at is None
    before = timezone.now()
    assert TokenClient(secret).get("/api/plans/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= before


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer a b", "Bearer tiess_inconnu", "bearer pas-un-jeton"]
)
def test_a_bad_authorization_header_is_refused_not_ignored(client, header, plan_2018_2023):
    response = client.get("/api/plans/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_person_without_permissions_reads_nothing(plan_2018_2023):
    nobody = get_user_model().objects.create_user("sans-role", password="x")
    _token, secret = token_create(owner=nobody, name="Excel")
    response = TokenClient(secret).get("/api/valeurs/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous n’avez pas la permission de lire ceci."}


def test_filters_refuse_what_is_not_an_id_in_french(api_clients):
    response = api_clients["staff"].get("/api/valeurs/?plan=2018-2023")
    assert response.status_code == 400
    assert response.json() == {
        "plan": ["Donnez un nombre (l’identifiant), pas «\xa02018-2023\xa0»."]
    }


def test_pages_are_stable_and_complete(api_clients):
    client = api_clients["board"]
    first = client.get("/api/strategies/?page_size=10").json()
    ids = [row["id"] for row in first["results"]]
    following = first["next"]
    while following:
        page = client.get(following).json()
        ids += [row["id"] for row in page["results"]]
        following = page["next"]
    assert ids == sorted(ids)
    assert len(ids) == first["count"] == 26
    assert client.get("/api/strategies/?page_size=10").json() == first


def test_answers_to_a_token_are_private(api_clients):
    response = api_clients["board"].get("/api/plans/")
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert "Authorization" in response["Vary"]


def test_readers_are_throttled_in_the_shared_cache(settings, api_clients):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_THROTTLE_USER = "3/minute"
    settings.API_THROTTLE_ANON = "2/minute"
    board = [api_clients["board"].get("/api/plans/").status_code for _ in range(4)]
    anonymous = [api_clients["anonymous"].get("/api/plans/").status_code for _ in range(3)]
    assert board == [200, 200, 200, 429]
    assert anonymous == [200, 200, 429]
    assert api_clients["staff"].get("/api/plans/").status_code == 200


# --- The account page ------------------------------------------------------------------------


def test_the_account_menu_leads_to_the_tokens(staff_client):
    page = staff_client.get("/compte/rappels/").content.decode()
    assert 'href="/compte/jetons/"' in page
    assert "Mes jetons d’API" in page


def test_a_token_is_created_named_and_shown_once(staff_client, staff_user):
    response = staff_client.post("/compte/jetons/", {"name": "Excel – suivi du CA"})
    assert response.status_code == 200
    token = ApiToken.objects.get(owner=staff_user)
    secret = response.context["secret"]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret in response.content.decode()
    assert "Copiez votre jeton maintenant" in response.content.decode()
    again = staff_client.get("/compte/jetons/").content.decode()
    assert secret not in again
    assert "Excel – suivi du CA" in again
    assert "jamais" in again


def test_an_empty_name_is_refused_in_french(staff_client):
    response = staff_client.post("/compte/jetons/", {"name": "  "})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_is_revoked_by_its_owner_only(staff_client, staff_user, board_user):
    own, _ = token_create(owner=staff_user, name="Excel")
    others, _ = token_create(owner=board_user, name="Excel")
    response = staff_client.post(f"/compte/jetons/{own.pk}/revoquer/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/jetons/"
    assert staff_client.post(f"/compte/jetons/{others.pk}/revoquer/").status_code == 404
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.is_revoked
    assert not others.is_revoked
    assert "révoqué le" in staff_client.get("/compte/jetons/").content.decode()
