"""French first: a complete French catalogue, French by default, English on request."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"


def test_committed_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    assert {entry.msgid for entry in compiled} >= {e.msgid for e in catalogue.translated_entries()}


def test_every_msgid_of_the_code_has_a_french_translation(tmp_path, settings, monkeypatch):
    """Extract the msgids afresh from the code and templates: none may be missing."""
    # makemessages writes next to the sources it reads: give it a tree of links to them.
    for source in ["tiess", "plan", "indicators", "templates"]:
        (tmp_path / source).symlink_to(Path(settings.BASE_DIR) / source)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["fr_CA"], no_location=True, symlinks=True, verbosity=0)
    extracted = polib.pofile(str(tmp_path / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"))
    translated = {entry.msgid for entry in polib.pofile(str(CATALOGUE)).translated_entries()}
    missing = sorted(entry.msgid for entry in extracted if entry.msgid not in translated)
    assert missing == []


def test_pages_are_in_french_by_default_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Connexion" in page
    assert "Nom d’utilisateur" in page


def test_english_is_available_from_the_language_selector(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


@pytest.mark.django_db
def test_numbers_and_dates_use_the_canadian_french_format():
    import datetime
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("fr-ca"):
        rendered = Template("{{ amount }} / {{ day|date }}").render(
            Context({"amount": Decimal("1234.5"), "day": datetime.date(2025, 3, 15)})
        )
    assert rendered == "1\xa0234,5 / 15 mars 2025"
