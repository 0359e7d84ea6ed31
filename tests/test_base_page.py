"""What every page inherits from base.html: a description for search engines and readers, and
Bootstrap's script deferred so that it never blocks the first paint (Lighthouse)."""

import re

import pytest


@pytest.fixture
def login_page(client, plan_2018_2023):
    return client.get("/accounts/login/").content.decode()


def test_every_page_has_a_french_description(login_page):
    description = re.search(r'<meta name="description" content="([^"]+)">', login_page)
    assert description is not None
    assert description.group(1).startswith("Avancement du plan stratégique du TIESS")


def test_bootstraps_script_is_deferred_in_the_head(login_page):
    head, body = login_page.split("</head>")
    assert re.search(r'<script src="[^"]*bootstrap\.bundle\.min\.js" defer></script>', head)
    assert "bootstrap.bundle" not in body


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/"])
def test_the_apps_pages_and_the_admin_carry_the_same_icon(admin_client, plan_2018_2023, path):
    """Without it the browser asks /favicon.ico, which the app does not serve (a 404)."""
    page = admin_client.get(path).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg" type="image/svg\+xml">', page)
