"""The board reads the plan in a real browser: summary first, no page wider than the window,
axe-core finds no serious or critical violation, packs keep what was shown, the report prints.
"""

import subprocess
from html import unescape
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from indicators.board import services
from indicators.recording.services import measurement_record
from tests.board.data import LATE_STORY, make_board_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LEVEL_PHRASE = "niveau 3 – Expérimentation · cible 4 – Intégration"
AXE = Axe()


@pytest.fixture
def board_data(plan_2018_2023, staff_user):
    return make_board_data(plan_2018_2023, staff_user)


@pytest.fixture
def presented(board_data, plan_2018_2023, staff_user):
    """A meeting of last month presenting 2019-2020, with its frozen pack."""
    meeting = services.meeting_create(
        plan=plan_2018_2023,
        date=board_data["second"].end_date,
        title="Conseil de printemps",
        period=board_data["second"],
        user=staff_user,
    )
    return services.meeting_present(meeting=meeting, user=staff_user)


def serious_violations(page):
    """axe-core's serious and critical violations on the page, in a readable form."""
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def overflow(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_first_screen_shows_the_summary_and_the_attention_list_with_stories(
    page, live_server, log_in, board_user, board_data
):
    page.set_viewport_size(DESKTOP)
    log_in(page, "andre", "mot-de-passe-conseil")
    expect(page).to_have_url(f"{live_server.url}/")
    chart = page.get_by_role("img", name="Indicateurs par statut, orientation par orientation")
    attention = page.locator("section.attention")
    story = attention.locator("details.story").first
    for element in [chart, attention.get_by_role("heading", name="Points d’attention"), story]:
        expect(element).to_be_in_viewport()
        box = element.bounding_box()
        assert box["y"] + box["height"] <= DESKTOP["height"]
    expect(attention).to_contain_text(board_data["late"].wording)
    expect(page.get_by_role("heading", name="Faits saillants")).to_be_in_viewport()
    # The story is shortened; the whole text is one click away.
    expect(story.locator("p")).to_be_hidden()
    story.locator("summary").click()
    expect(story.locator("p")).to_have_text(LATE_STORY)


def main_pages(board_data, pack):
    late = board_data["late"]
    return [
        "/",
        late.result.orientation.get_absolute_url(),
        late.result.get_absolute_url(),
        reverse("board:since_last_meeting"),
        reverse("board:board_report"),
        reverse("plan:plan_detail"),
        late.get_absolute_url(),
        reverse("board:meeting_list"),
        pack.meeting.get_absolute_url(),
        pack.get_absolute_url(),
    ]


@pytest.mark.parametrize(
    ("username", "password", "extra"),
    [
        ("andre", "mot-de-passe-conseil", []),
        ("marie", "mot-de-passe-personnel", ["indicators:measurement_todo", "board:meeting_new"]),
        ("admin", "password", ["indicators:measurement_todo", "board:meeting_new"]),
    ],
    ids=["board", "staff", "admin"],
)
def test_main_pages_fit_the_window_and_axe_finds_no_serious_violation(
    page,
    live_server,
    log_in,
    board_user,
    admin_user,
    board_data,
    presented,
    username,
    password,
    extra,
):
    log_in(page, username, password)
    problems = []
    for path in main_pages(board_data, presented) + [reverse(name) for name in extra]:
        page.set_viewport_size(DESKTOP)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        problems += [f"{path}: {violation}" for violation in serious_violations(page)]
        if overflow(page) > 0:
            problems.append(f"{path}: wider than 1366 px by {overflow(page)} px")
        page.set_viewport_size(PHONE)
        if overflow(page) > 0:
            problems.append(f"{path}: wider than 390 px by {overflow(page)} px")
    assert problems == [], "\n".join(problems)


def test_on_a_phone_every_row_shows_its_status_first(
    page, live_server, log_in, board_user, board_data
):
    page.set_viewport_size(PHONE)
    log_in(page, "andre", "mot-de-passe-conseil")
    row = page.locator("tr.indicator-row[data-status=late]").first
    status, wording = row.locator(".status"), row.locator("th a")
    expect(status).to_be_visible()
    assert status.bounding_box()["y"] < wording.bounding_box()["y"]
    assert row.bounding_box()["x"] + row.bounding_box()["width"] <= PHONE["width"]


def test_a_pack_keeps_the_value_shown_and_lists_the_correction(
    page, live_server, log_in, staff_user, board_user, board_data, other_staff
):
    # Marie records the meeting and marks it presented: the pack is frozen.
    page.set_viewport_size(DESKTOP)
    log_in(page, "marie", "mot-de-passe-personnel")
    page.goto(f"{live_server.url}{reverse('board:meeting_list')}")
    page.get_by_role("link", name="Enregistrer une rencontre").click()
    page.get_by_label("Date").fill("2020-06-10")
    page.get_by_label("Titre").fill("Conseil de juin")
    page.get_by_label("Période présentée").select_option(label="2019-2020")
    page.get_by_role("button", name="Enregistrer").click()
    # Freezing cannot be undone: without the box ticked, nothing is frozen.
    page.get_by_role("button", name="Marquer comme présentée").click()
    expect(page.get_by_text("Cochez la case pour confirmer")).to_be_visible()
    page.get_by_label("Je confirme").check()
    page.get_by_role("button", name="Marquer comme présentée").click()
    expect(page.get_by_role("alert").first).to_contain_text("son dossier est figé")
    pack_url = page.url
    row = page.locator("tr.indicator-row", has_text=board_data["late"].wording)
    expect(row).to_contain_text("20 collaborateurs · cible 40 collaborateurs")

    # Later, Luc corrects the value with a reason.
    category = board_data["late"].dimension.categories.first()
    measurement_record(
        indicator=board_data["late"],
        period=board_data["second"],
        user=other_staff,
        breakdown={category.pk: 30},
        reason="Deux collaborateurs comptés en double.",
    )

    # André opens the pack: the old value as presented, and the correction listed.
    page.context.clear_cookies()
    log_in(page, "andre", "mot-de-passe-conseil")
    page.goto(pack_url)
    row = page.locator("tr.indicator-row", has_text=board_data["late"].wording)
    expect(row).to_contain_text("20 collaborateurs · cible 40 collaborateurs")
    expect(row).to_contain_text("modifié depuis la rencontre du 10 juin 2020")
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text("Modifié depuis la rencontre du 10 juin 2020")
    correction = corrections.locator("tr.correction")
    expect(correction).to_have_count(1)
    expect(correction).to_contain_text("20 collaborateurs")
    expect(correction).to_contain_text("30 collaborateurs")
    expect(correction).to_contain_text("Luc Bouchard")
    expect(correction).to_contain_text("Deux collaborateurs comptés en double.")


def pdf_pages(path):
    """[(page height, [(word, y top, y bottom)])] of a PDF, read by pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        height = float(chunk.split('height="')[1].split('"')[0])
        words = []
        for part in chunk.split("<word ")[1:]:
            attrs, text = part.split(">", 1)
            y_min = float(attrs.split('yMin="')[1].split('"')[0])
            y_max = float(attrs.split('yMax="')[1].split('"')[0])
            words.append((unescape(text.split("</word>")[0]), y_min, y_max))
        pages.append((height, words))
    return pages


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_printed_report_has_page_numbers_headers_and_no_half_empty_page(
    page, live_server, log_in, board_user, board_data, artifacts_dir, paper
):
    log_in(page, "andre", "mot-de-passe-conseil")
    page.goto(f"{live_server.url}{reverse('board:board_report')}")
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    page.emulate_media(media="print")
    pdf = Path(artifacts_dir) / f"rapport-conseil-{paper}.pdf"
    page.pdf(path=str(pdf), format=paper)
    pages = pdf_pages(pdf)
    count = len(pages)
    assert count >= 2
    for number, (height, words) in enumerate(pages, start=1):
        text = " ".join(word for word, _, _ in words)
        assert f"page {number} de {count}" in text
        assert "Plan stratégique 2018-2023 · 2019-2020" in text
        assert "Produit le" in text
        if number < count:
            # Body text (not the running header and footer) goes well past the middle: a
            # heading may move to the next page with its table, an orientation never forces it.
            body = [bottom for _, top, bottom in words if 0.08 * height < top < 0.93 * height]
            assert max(body) > 0.6 * height, f"page {number} of {count} is half empty"
    # A level target never prints as a percentage (3 of 4 would be « 75 % »).
    level_row = page.locator("tr.indicator-row", has_text=board_data["level"].wording)
    expect(level_row).to_contain_text(LEVEL_PHRASE)
    assert "%" not in level_row.inner_text()
    everything = " ".join(word for _, words in pages for word, _, _ in words)
    assert "Expérimentation" in everything
    assert "75,0 %" not in everything
    assert "75 %" not in everything
