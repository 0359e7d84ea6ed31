"""The menu: what each person may use, the other language as one button, the account's links
in a disclosure that opens without JavaScript."""

import pytest
from django.contrib.auth.models import Permission

from plan.roles import STAFF_GROUP
from tests import factories

GRID_LINK = '<a class="nav-link" href="/cibles/">Grille des cibles</a>'


def menu(client):
    html = client.get("/plan/").text
    return html[html.index('<nav class="navbar') : html.index("</nav>")]


@pytest.fixture
def target_editor(db):
    user = factories.member("sophie", STAFF_GROUP, password="mot-de-passe-cibles")
    user.user_permissions.add(Permission.objects.get(codename="edit_targets"))
    return user


def test_the_targets_grid_is_in_the_menu_of_who_may_use_it(
    client, plan_2018_2023, target_editor, admin_user, staff_user, board_user
):
    """One rule, the view's: the permission indicators.edit_targets (a superuser has it)."""
    for user, allowed in (
        (target_editor, True),
        (admin_user, True),
        (staff_user, False),
        (board_user, False),
    ):
        client.force_login(user)
        assert (GRID_LINK in menu(client)) is allowed, user
        assert client.get("/cibles/").status_code == (200 if allowed else 403), user


def test_the_other_language_is_one_button_named_in_that_language(staff_client, plan_2018_2023):
    french = menu(staff_client)
    assert 'name="language" value="en" lang="en"' in french
    assert ">English</button>" in french
    assert "<select" not in french

    staff_client.post("/i18n/setlang/", {"language": "en", "next": "/plan/"})
    english = menu(staff_client)
    assert 'name="language" value="fr-ca" lang="fr"' in english
    assert ">Français</button>" in english
    assert ">English</button>" not in english


def test_the_account_links_open_without_javascript(staff_client, plan_2018_2023):
    account = menu(staff_client).split('<details class="dropdown navbar-account">')[1]

    summary, links = account.split("</summary>")
    assert '<span class="navbar-account-name">Marie</span>' in summary
    assert "Marie Tremblay" in links  # the whole name, inside
    for text in ("Mes courriels", "Changer mon mot de passe", "Se déconnecter"):
        assert text in links
