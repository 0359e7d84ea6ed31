"""The validation pages, and the board pages with their marks, are valid HTML (vnu)."""

from decimal import Decimal

from django.urls import reverse

from indicators.board import services as board_services
from indicators.recording.services import measurement_record
from indicators.validation.services import measurement_return
from tests.board.test_meetings import make_meeting
from tests.test_html_valid import check, rendered


def test_validation_and_marked_board_pages_are_valid_html(
    validation_on,
    client,
    count_indicator,
    percentage_indicator,
    period,
    staff_user,
    coordinator,
    board_user,
    tmp_path,
):
    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    returned = measurement_record(
        indicator=percentage_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    measurement_return(measurement=returned, user=coordinator, version=1, comment="Source ?")
    meeting = make_meeting(validation_on, period)
    client.force_login(coordinator)
    pages = rendered(
        client,
        [
            reverse("indicators:measurement_validation_index"),
            reverse("indicators:measurement_validation", args=[period.pk]),
        ],
    )
    client.force_login(staff_user)
    pages |= rendered(client, [meeting.get_absolute_url(), count_indicator.get_absolute_url()])
    pack = board_services.meeting_present(meeting=meeting, user=staff_user)
    client.force_login(board_user)
    pages |= rendered(
        client,
        [
            f"{reverse('board:board_report')}?periode={period.pk}",
            reverse("board:result_detail", args=[count_indicator.result.pk]),
            pack.get_absolute_url(),
        ],
    )
    assert check(pages, tmp_path) == {}
