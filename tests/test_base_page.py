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
