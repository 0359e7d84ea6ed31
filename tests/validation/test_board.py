"""The board sees which values are not validated: pages, report, summary, frozen packs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.board import services as board_services
from indicators.recording.services import measurement_record
from indicators.validation.services import measurement_validate
from tests.board.test_meetings import make_meeting

MARK = "non validée"


@pytest.fixture
def pending_value(validation_on, count_indicator, period, staff_user):
    return measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )


def _result_page(client, indicator):
    return client.get(reverse("board:result_detail", args=[indicator.result.pk])).text


def _report(client, period):
    return client.get(reverse("board:board_report"), {"periode": period.pk}).text


def test_board_pages_and_report_mark_a_value_to_validate(board_client, pending_value, period):
    assert MARK in _result_page(board_client, pending_value.indicator)
    report = _report(board_client, period)
    assert MARK in report
    assert "1 valeur affichée n’est pas encore validée." in report


def test_the_mark_goes_once_the_value_is_validated(
    board_client, pending_value, period, coordinator
):
    measurement_validate(measurement=pending_value, user=coordinator, version=1)
    assert MARK not in _result_page(board_client, pending_value.indicator)
    assert MARK not in _report(board_client, period)


def test_no_mark_when_validation_is_off(board_client, count_indicator, period, staff_user):
    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    assert MARK not in _result_page(board_client, count_indicator)
    assert MARK not in _report(board_client, period)


def test_freezing_asks_a_second_confirmation_while_values_are_not_validated(
    staff_client, pending_value, validation_on, period
):
    meeting = make_meeting(validation_on, period)
    present = reverse("board:meeting_present", args=[meeting.pk])
    detail = staff_client.get(meeting.get_absolute_url()).text
    assert "1 valeur n’est pas encore validée" in detail
    refused = staff_client.post(present, {"confirm": "on"})
    assert refused.status_code == 200
    assert "certaines valeurs ne sont pas encore validées" in refused.text
    meeting.refresh_from_db()
    assert not hasattr(meeting, "pack") or meeting.pack is None
    frozen = staff_client.post(present, {"confirm": "on", "confirm_unvalidated": "on"})
    assert frozen.status_code == 302


def test_a_pack_frozen_with_values_not_validated_says_so_and_keeps_saying_it(
    board_client, staff_user, pending_value, validation_on, period, coordinator
):
    meeting = make_meeting(validation_on, period)
    pack = board_services.meeting_present(meeting=meeting, user=staff_user)
    assert pack.content["summary"]["unvalidated_total"] == 1
    measurement_validate(measurement=pending_value, user=coordinator, version=1)
    text = board_client.get(pack.get_absolute_url()).text
    assert "Ce dossier a été figé avec 1 valeur pas encore validée" in text
    assert MARK in text


def test_freezing_needs_one_confirmation_once_every_value_is_validated(
    staff_client, pending_value, validation_on, period, coordinator
):
    measurement_validate(measurement=pending_value, user=coordinator, version=1)
    meeting = make_meeting(validation_on, period)
    present = reverse("board:meeting_present", args=[meeting.pk])
    assert "pas encore validée" not in staff_client.get(meeting.get_absolute_url()).text
    assert staff_client.post(present, {"confirm": "on"}).status_code == 302
