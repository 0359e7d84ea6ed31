"""A pack is frozen as data and read in the reader's language: one language per page (apart from
the plan's own French words and what staff wrote), with Québec dates and times in French."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from indicators.board import services
from indicators.board.stories import snippet
from indicators.models import ScaleLevel
from plan.models import Orientation, Result, ResultItem, Strategy, StrategyItem

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"
# Attributes a reader meets as text (screen readers, tooltips).
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


class _PageText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.parts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def one_line(text):
    return " ".join(text.split())


def page_text(html, data_texts):
    """What a reader meets on the page, without the plan's and staff's own words."""
    parser = _PageText()
    parser.feed(html)
    text = one_line(" ".join(parser.parts))
    for data in sorted(data_texts, key=len, reverse=True):
        text = text.replace(one_line(data), " ")
    return text


def _fragments(text):
    """The wordings of a catalogue text between its placeholders, of two words or more."""
    for piece in re.split(r"%\(\w+\)s|%s|\{\{[^}]*\}\}", text):
        piece = one_line(piece).strip(" :;,.()«»“”–-")
        if len(re.findall(r"[^\W\d_]{2,}", piece)) >= 2:
            yield piece


@pytest.fixture(scope="module")
def catalogue_wordings():
    """{language: wordings found only in that language} from the French catalogue."""
    french, english = set(), set()
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        english.update(_fragments(entry.msgid), _fragments(entry.msgid_plural or ""))
        french.update(_fragments(entry.msgstr))
        for text in entry.msgstr_plural.values():
            french.update(_fragments(text))
    return {"fr": french - english, "en": english - french}


def other_language(text, wordings):
    return sorted(w for w in wordings if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))


def data_texts(plan, people):
    """The plan's own words and staff's (French in both languages): never translated."""
    texts = {plan.title, *people}
    texts.update(Orientation.objects.filter(plan=plan).values_list("title", flat=True))
    texts.update(Result.objects.values_list("statement", flat=True))
    texts.update(Strategy.objects.values_list("text", flat=True))
    texts.update(f"{i.letter}) {i.text}" for i in ResultItem.objects.all())
    texts.update(f"{i.letter}) {i.text}" for i in StrategyItem.objects.all())
    texts.update(ScaleLevel.objects.values_list("label", flat=True))
    for indicator in plan_indicators(plan):
        texts.update([indicator.wording, indicator.unit])
    for measurement in plan_measurements(plan):
        for story in (measurement.narrative, measurement.explanation):
            if story:
                texts.update([story, snippet(story).rstrip("…")])
    return {text for text in texts if text}


def plan_indicators(plan):
    from indicators.models import Indicator

    return Indicator.objects.of_plan(plan)


def plan_measurements(plan):
    from indicators.models import Measurement

    return Measurement.objects.of_plan(plan)


def read(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pack(board_data, plan_2018_2023, staff_user):
    """The June meeting's pack, compared with the March meeting's (both presented)."""
    for date, period, title in [
        (datetime.date(2020, 3, 2), board_data["first"], "Conseil de mars"),
        (datetime.date(2020, 6, 10), board_data["second"], "Conseil de juin"),
    ]:
        meeting = services.meeting_create(
            plan=plan_2018_2023, date=date, title=title, period=period, user=staff_user
        )
        frozen = services.meeting_present(meeting=meeting, user=staff_user)
    return frozen


PEOPLE = ["Marie Tremblay", "André Gagnon", "Conseil de juin", "Conseil de mars"]


# Not named `page`: that is pytest-playwright's fixture, which would start a browser here.
@pytest.mark.parametrize("shown", ["pack", "report"])
def test_each_page_reads_in_one_language(
    board_client, pack, plan_2018_2023, catalogue_wordings, shown
):
    url = pack.get_absolute_url() if shown == "pack" else reverse("board:board_report")
    texts = data_texts(plan_2018_2023, PEOPLE)
    french = page_text(read(board_client, url, "fr-ca"), texts)
    english = page_text(read(board_client, url, "en"), texts)
    assert other_language(english, catalogue_wordings["fr"]) == []
    assert other_language(french, catalogue_wordings["en"]) == []
    assert "en retard" in french
    assert "late" in english


def test_a_pack_reads_the_same_content_in_french_and_in_english(board_client, pack, board_data):
    late = board_data["late"].wording
    french = read(board_client, pack.get_absolute_url(), "fr-ca")
    english = read(board_client, pack.get_absolute_url(), "en")
    for shown in [
        "20\xa0collaborateurs · cible 40\xa0collaborateurs",
        "niveau 3 – Expérimentation · cible 4 – Intégration",
        "11\xa0outils (cumul) · cible 10\xa0outils",
        "5\xa0outils en 2019-2020",
        "plus élevé est mieux",
        "depuis la rencontre du 2 mars 2020",
        "50\xa0%",
    ]:
        assert shown in french, shown
    for shown in [
        "20\xa0collaborateurs · target 40\xa0collaborateurs",
        "level 3 – Expérimentation · target 4 – Intégration",
        "11\xa0outils (cumulative) · target 10\xa0outils",
        "5\xa0outils in 2019-2020",
        "higher is better",
        "since the meeting of March 2, 2020",
        "50%",
    ]:
        assert shown in english, shown
    assert late in french
    assert late in english  # the plan's words stay French


def test_a_pack_says_when_it_was_frozen_in_quebec_typography(board_client, pack):
    first_of_december = timezone.make_aware(datetime.datetime(2026, 12, 1, 17, 44))
    type(pack).objects.filter(pk=pack.pk).update(frozen_at=first_of_december)
    page = read(board_client, pack.get_absolute_url(), "fr-ca")
    assert "Figé le 1er décembre 2026, 17\xa0h\xa044 par Marie Tremblay" in page
    assert "Pack frozen" not in page
    header = read(
        board_client, reverse("board:meetingpack_print_css", args=[pack.meeting_id]), "fr-ca"
    )
    assert '"Figé le 1er décembre 2026"' in header
    english = read(board_client, pack.get_absolute_url(), "en")
    assert "Frozen on Dec. 1, 2026, 5:44 p.m. by Marie Tremblay" in english
    meeting = pack.meeting
    meeting.date = datetime.date(2020, 6, 1)
    with translation.override("fr-ca"):
        assert str(meeting) == "Conseil de juin (1er juin 2020)"
