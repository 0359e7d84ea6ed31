"""The public pages: no login, the plan's words, the published indicators, crawlable, cached."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from plan.models import StrategicPlan
from tests import codes, factories
from tests.public.published import publish

PAGE = "/public/2018-2023/"


def words(response):
    """The page's text with plain spaces (French numbers and units use no-break spaces)."""
    return re.sub("[\u00a0\u202f]", " ", response.text).replace("&#x27;", "'")


def main_part(response):
    html = response.content.decode()
    return html[html.index("<!--page-content-->") : html.index("<!--/page-content-->")]


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield cache
    cache.clear()


def test_public_urls_are_the_agreed_ones():
    assert reverse("public:public_index") == "/public/"
    assert reverse("public:plan_progress", args=["2018-2023"]) == PAGE
    assert reverse("public:robots_txt") == "/robots.txt"
    assert reverse("public:sitemap") == "/sitemap.xml"


def test_an_unpublished_plan_has_no_public_page(plan_2018_2023, client):
    assert client.get(PAGE).status_code == 404
    response = client.get("/public/")
    assert response.status_code == 200
    assert "Aucun plan n’est publié pour l’instant." in response.text
    assert plan_2018_2023.title not in response.text


def test_a_draft_plan_has_no_public_page_even_when_ticked(published_plan, client):
    factories.plan(start_year=2023, end_year=2028, is_published=True)
    assert client.get("/public/2023-2028/").status_code == 404
    assert "2023-2028" not in client.get("/public/").text


def test_the_index_lists_the_published_plans(published_plan, client):
    response = client.get("/public/")
    assert f'href="{PAGE}"' in response.text
    assert '<link rel="canonical" href="http://testserver/public/">' in response.text


def test_the_page_reads_the_plans_words_word_for_word(published_plan, client):
    response = client.get(PAGE)
    assert response.status_code == 200
    text = response.text.replace("&#x27;", "'")
    for words in [
        published_plan.mission,
        published_plan.vision,
        codes.orientation(3).title,
        codes.result(7).statement,
        codes.strategy("2.1").text,
        *(item.text for item in codes.result(1).items.all()),
    ]:
        assert words.strip() in text


def test_the_page_shows_each_published_indicator_as_the_board_does(published_plan, client):
    text = words(client.get(PAGE))
    assert codes.indicator("2.1").wording in text
    assert '<span class="status status-reached">atteinte</span>' in text
    assert "12 partenaires · cible 12 partenaires · 100 %" in text
    assert "Cible atteinte en 2019." in text  # its public story
    assert "Sondage reporté." in text  # why 1.3 was not measured
    assert "Le rôle est reconnu." in text
    assert "Valeurs de la période 2019-2020" in text
    assert re.search(r"Mis à jour le \d+(er)? \w+ \d{4}", text)
    assert text.count('class="public-indicator"') == 3
    assert text.count('class="indicator-chart"') == 3
    # An indicator that is not published is not on the page.
    assert codes.indicator("1.1").wording not in text


def test_an_internal_story_stays_internal(published_plan, client):
    publish(codes.indicator("2.1"), story=False)
    text = words(client.get(PAGE))
    assert "Cible atteinte en 2019." not in text
    assert "12 partenaires · cible 12 partenaires" in text


def test_only_locked_periods_are_shown_when_the_plan_says_so(published_plan, client, staff_user):
    factories.measurement(codes.indicator("2.1"), codes.period("2020-2021"), staff_user, 99)
    assert "99 partenaires" not in words(client.get(PAGE))
    published_plan.publishes_locked_periods_only = False
    published_plan.save()
    text = words(client.get(PAGE))
    assert "99 partenaires" in text
    assert "Valeurs de la période 2020-2021" in text


def test_the_page_is_crawlable(published_plan, client):
    html = client.get(PAGE).text
    assert f'<link rel="canonical" href="http://testserver{PAGE}">' in html
    (description,) = re.findall(r'<meta name="description" content="([^"]+)">', html)
    assert description.startswith("Avancement du Plan stratégique 2018-2023 de TIESS")
    assert "<title>Plan stratégique 2018-2023 · " in html


def test_robots_txt_opens_the_public_pages_only(published_plan, client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[:5] == [
        "User-agent: *",
        "Allow: /public/",
        "Allow: /static/",
        "Disallow: /",
        "",
    ]
    assert lines[5] == "Sitemap: http://testserver/sitemap.xml"


def test_the_sitemap_lists_the_public_pages_only(published_plan, client):
    factories.plan(start_year=2023, end_year=2028, is_published=True)  # a draft
    xml = client.get("/sitemap.xml").text
    assert re.findall(r"<loc>([^<]+)</loc>", xml) == [
        "http://testserver/public/",
        f"http://testserver{PAGE}",
    ]
    published_plan.is_published = False
    published_plan.save()
    xml = client.get("/sitemap.xml").text
    assert re.findall(r"<loc>([^<]+)</loc>", xml) == ["http://testserver/public/"]


def test_the_page_is_french_first_and_english_on_request(published_plan):
    client = Client()
    assert "Mis à jour le" in client.get(PAGE).text
    response = client.post(reverse("set_language"), {"language": "en", "next": PAGE}, follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert "Updated on" in response.text
    assert '<html lang="en">' in response.text
    # The plan's words stay as adopted.
    assert published_plan.title in response.text


def test_other_pages_still_need_a_login(published_plan, client):
    for path in ["/", "/plan/", "/plans/2018-2023/", f"/resultats/{codes.result(2).pk}/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_the_page_is_served_from_the_cache_until_the_data_changes(
    published_plan,
    client,
    page_cache,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    first = main_part(client.get(PAGE))
    with django_assert_max_num_queries(3):
        again = main_part(client.get(PAGE))
    assert again == first
    indicator = codes.indicator("1.1")
    with django_capture_on_commit_callbacks(execute=True):
        publish(indicator)
    assert indicator.wording.replace("'", "&#x27;") in client.get(PAGE).text
    with django_capture_on_commit_callbacks(execute=True):
        StrategicPlan.objects.get(pk=published_plan.pk).save()  # any write renews the page
    with django_capture_on_commit_callbacks(execute=True):
        published_plan.refresh_from_db()
        published_plan.is_published = False
        published_plan.save()
    assert client.get(PAGE).status_code == 404


def test_the_cached_page_keeps_its_description_and_canonical(published_plan, page_cache):
    fresh = Client().get(PAGE).text
    cached = Client().get(PAGE).text
    for pattern in [r'<meta name="description" content="[^"]+">', r'<link rel="canonical"[^>]+>']:
        assert re.findall(pattern, cached) == re.findall(pattern, fresh)
    assert cached.count('name="description"') == 1


@pytest.mark.parametrize("published_count", [3, 12])
def test_the_page_reads_in_a_fixed_number_of_queries(
    published_plan, client, staff_user, django_assert_max_num_queries, published_count
):
    """Guards the N+1 of one query per indicator, value or result (charts, stories)."""
    for indicator in Indicator.objects.of_plan(published_plan).order_by("pk")[:published_count]:
        publish(indicator)
    with django_assert_max_num_queries(17):
        assert client.get(PAGE).status_code == 200


def test_the_public_page_has_no_cache_control_for_people_logged_in_only(published_plan, client):
    """Anonymous readers share nothing private; a logged-in reader's copy stays private."""
    assert "no-store" not in client.get(PAGE).get("Cache-Control", "")
    assert settings.LANGUAGE_CODE == "fr-ca"
