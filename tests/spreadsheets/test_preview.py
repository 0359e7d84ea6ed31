"""Preview → confirm: one session protocol; a confirmation matching no preview is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Measurement
from indicators.spreadsheets import preview as previews
from indicators.spreadsheets.views import VALUES_PREVIEW

IMPORT_URL = "/saisie/import/"
FILE = "code;period;status;value\r\n1.20;2019-2020;recorded;4\r\n"


@pytest.fixture
def previewed(staff_client, count_indicator):
    """A valid preview of one new value, not confirmed yet: (client, its token)."""
    upload = SimpleUploadedFile("valeurs.csv", FILE.encode())
    result = staff_client.post(IMPORT_URL, {"file": upload}).context["preview"]
    assert result.is_valid, [row.errors for row in result.rows]
    assert not Measurement.objects.exists()
    return staff_client, result.token


def edit_stored(client, **changes):
    session = client.session
    session[VALUES_PREVIEW.key].update(changes)
    session.save()


def confirm(client, token):
    return client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)


def test_the_confirmation_writes_what_was_previewed_once(previewed):
    client, token = previewed
    page = confirm(client, token).content.decode()
    assert "1 valeur a été importée." in page
    assert Measurement.objects.get().value == 4

    again = confirm(client, token).content.decode()
    assert "Cette importation a expiré" in again
    assert Measurement.objects.count() == 1


def test_an_expired_preview_is_refused_in_french(previewed):
    client, token = previewed
    stored_at = client.session[VALUES_PREVIEW.key]["at"]
    edit_stored(client, at=stored_at - previews.MAX_AGE - 1)

    response = confirm(client, token)

    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert "Cette importation a expiré; téléversez le fichier de nouveau." in (
        response.content.decode()
    )
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("token", ["0" * 32, "", "é"])
def test_a_token_that_is_not_the_last_previews_is_refused(previewed, token):
    client, _token = previewed
    page = confirm(client, token).content.decode()
    assert "Cette confirmation ne correspond pas à votre dernier aperçu" in page
    assert not Measurement.objects.exists()


def test_a_preview_kept_for_someone_else_is_refused(previewed, other_staff):
    client, token = previewed
    edit_stored(client, user=other_staff.pk)
    page = confirm(client, token).content.decode()
    assert "Cette confirmation ne correspond pas à votre dernier aperçu" in page
    assert not Measurement.objects.exists()


def test_a_confirmation_without_a_preview_is_refused(staff_client, count_indicator):
    page = confirm(staff_client, "0" * 32).content.decode()
    assert "Cette importation a expiré" in page
