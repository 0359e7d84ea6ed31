"""Packs frozen as French words (version 1) become data (migration 0002) without loss: what
converts exactly reads in the reader's language, what does not stays as it was shown."""

import copy
import datetime
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from indicators.board.models import Meeting, MeetingPack
from indicators.models import Indicator
from plan.models import Result

MIGRATION = importlib.import_module("indicators.board.migrations.0002_packs_as_data")
# A pack as version 1 froze it: the June 2020 meeting of tests/board/data.py's values.
VERSION_1 = json.loads((Path(__file__).parent / "pack_v1.json").read_text())
PHRASES = MIGRATION.PHRASES


def v1_rows(content):
    return {
        row["id"]: row
        for orientation in content["orientations"]
        for result in orientation["results"]
        for row in result["indicators"]
    }


@pytest.fixture
def old_pack(board_data, plan_2018_2023, staff_user):
    """The version 1 pack, stored as it was, frozen after the values it shows."""
    meeting = Meeting.objects.create(
        plan=plan_2018_2023,
        date=datetime.date(2020, 6, 10),
        title="Conseil de juin",
        period=board_data["second"],
    )
    return MeetingPack.objects.create(
        meeting=meeting,
        frozen_at=timezone.now(),
        frozen_by=staff_user,
        content=copy.deepcopy(VERSION_1),
    )


def migrate(pack):
    MIGRATION.forwards(apps, schema_editor=None)
    pack.refresh_from_db()
    return pack.content


def read(client, pack, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(pack.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_old_pack_becomes_data_and_reads_in_english(board_client, board_data, old_pack):
    content = migrate(old_pack)
    assert content["version"] == 2
    rows = v1_rows(content)
    late, level, cumulative = (rows[board_data[key].pk] for key in ("late", "level", "cumulative"))
    for row in (late, level, cumulative):
        assert "words" not in row  # every phrase rebuilt exactly
    assert (late["status"], late["unit"], late["percent"]) == ("late", "collaborateurs", "50")
    assert (cumulative["value"], cumulative["period_value"]) == ("11.00", "5.00")
    assert content["summary"]["compared_with"] == {"meeting": "2020-03-01"}
    orientation_3 = content["orientations"][2]
    first_result = Result.objects.filter(orientation__number=3).order_by("number").first()
    assert (orientation_3["number"], orientation_3["results"][0]["number"]) == (
        3,
        first_result.number,
    )
    strategy = next(s for s in orientation_3["strategies"] if s["number"] == "3.4")
    assert [item["letter"] for item in strategy["items"]] == ["a", "b", "c"]
    assert [i["letter"] for i in content["orientations"][0]["results"][0]["items"]] == ["a", "b"]

    english = read(board_client, old_pack, "en")
    for shown in [
        "20\xa0collaborateurs · target 40\xa0collaborateurs",
        "level 3 – Expérimentation · target 4 – Intégration",
        "5\xa0outils in 2019-2020",
        "since the meeting of March 1, 2020",
        "Result 1 – ",
        "no state recorded",
    ]:
        assert shown in english, shown
    assert "en retard" not in english
    french = read(board_client, old_pack, "fr-ca")
    for row in (late, level, cumulative):
        old = v1_rows(VERSION_1)[row["id"]]
        for phrase in PHRASES:
            assert old[phrase] in french  # unchanged in content
    assert "depuis la rencontre du 1er mars 2020" in french


def test_what_no_longer_converts_exactly_keeps_its_french_words(board_client, board_data, old_pack):
    """The unit changed after the meeting: the pack still shows what the board saw."""
    Indicator.objects.filter(pk=board_data["late"].pk).update(unit="personnes")
    content = old_pack.content
    content["summary"]["compared_with"] = "depuis longtemps"
    content["orientations"][0]["label"] = "Première orientation"
    old_pack.save()
    content = migrate(old_pack)
    late = v1_rows(content)[board_data["late"].pk]
    assert late["words"] == {p: v1_rows(VERSION_1)[late["id"]][p] for p in PHRASES}
    assert content["summary"]["compared_with"] == {"text": "depuis longtemps"}
    assert content["orientations"][0]["label"] == "Première orientation"
    english = read(board_client, old_pack, "en")
    assert "20\xa0collaborateurs · cible 40\xa0collaborateurs" in english  # as it was shown
    assert "late" in english
    assert "depuis longtemps" in english
    assert "Première orientation – " in english
    assert "personnes" not in english


def test_a_converted_pack_migrates_back_to_its_french_words(board_data, old_pack):
    MIGRATION.forwards(apps, schema_editor=None)
    MIGRATION.backwards(apps, schema_editor=None)
    old_pack.refresh_from_db()
    content = old_pack.content
    assert content["version"] == 1
    before, after = v1_rows(VERSION_1), v1_rows(content)
    assert before.keys() == after.keys()
    for pk, row in before.items():
        for key, value in row.items():
            assert after[pk][key] == value, (pk, key)
    assert content["summary"]["rollup"] == VERSION_1["summary"]["rollup"]
    assert content["unserved"] == VERSION_1["unserved"]
    assert content["orientations"][2]["strategies"][3]["state_label"] == "aucun état consigné"
