"""Board meetings as records: presenting a meeting freezes its pack, forever, with corrections."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from indicators.board import services
from indicators.board.models import Meeting, MeetingPack, MeetingPackRemoval
from indicators.board.signals import pack_frozen
from indicators.models import ReportingPeriod
from indicators.recording.services import measurement_record
from plan.models import StrategicPlan
from tests.board.data import current_plan_of_size


def make_meeting(plan, period, days_ago=7, title="Rencontre du conseil", user=None):
    return services.meeting_create(
        plan=plan,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        title=title,
        period=period,
        notes="Ordre du jour : suivi du plan.",
        user=user,
    )


def pack_row(pack, indicator):
    return next(
        row
        for orientation in pack.content["orientations"]
        for result in orientation["results"]
        for row in result["indicators"]
        if row["id"] == indicator.pk
    )


def correct(indicator, period, user, total, reason):
    category = indicator.dimension.categories.first()
    return measurement_record(
        indicator=indicator,
        period=period,
        user=user,
        breakdown={category.pk: total},
        reason=reason,
        confirmed=True,
    )


def test_presenting_freezes_every_value_status_story_strategy_and_the_summary(
    board_data, plan_2018_2023, staff_user
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    pack = services.meeting_present(meeting=meeting, user=staff_user)
    content = MeetingPack.objects.get(meeting=meeting).content
    assert content["period"]["name"] == "2019-2020"
    assert content["meeting"]["title"] == "Rencontre du conseil"
    late = pack_row(pack, board_data["late"])
    assert (late["status"], late["status_label"]) == ("late", "en retard")
    assert late["value_phrase"] == "20\xa0collaborateurs"
    assert late["target_phrase"] == "cible 40\xa0collaborateurs"
    assert late["story"].startswith("Départ de deux employées")
    assert pack_row(pack, board_data["level"])["value_phrase"] == "niveau 3 – Expérimentation"
    strategies = [s for o in content["orientations"] for s in o["strategies"]]
    assert len(strategies) == 26
    assert strategies[0]["number"] == "1.1"
    assert content["summary"]["attention_total"] >= 2
    assert board_data["late"].pk in {row["id"] for row in content["summary"]["attention"]}


def test_a_meeting_is_presented_once(board_data, plan_2018_2023, staff_user):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    services.meeting_present(meeting=meeting, user=staff_user)
    with pytest.raises(ValidationError):
        services.meeting_present(meeting=meeting, user=staff_user)
    assert MeetingPack.objects.count() == 1


def test_presented_meeting_keeps_its_date_and_period(board_data, plan_2018_2023, staff_user):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    services.meeting_present(meeting=meeting, user=staff_user)
    with pytest.raises(ValidationError) as error:
        services.meeting_update(
            meeting=meeting,
            date=meeting.date,
            title=meeting.title,
            period=board_data["first"],
            user=staff_user,
        )
    assert "period" in error.value.error_dict
    services.meeting_update(
        meeting=meeting,
        date=meeting.date,
        title="Rencontre ordinaire",
        period=board_data["second"],
        notes="Procès-verbal adopté.",
        user=staff_user,
    )
    assert Meeting.objects.get(pk=meeting.pk).title == "Rencontre ordinaire"


def test_the_period_presented_belongs_to_the_meetings_plan(plan_2018_2023, staff_user):
    other = StrategicPlan.objects.create(
        title="Plan 2023-2028", organisation="TIESS", start_year=2023, end_year=2028
    )
    period = ReportingPeriod.objects.create(
        plan=other,
        name="2023-2024",
        start_date=datetime.date(2023, 4, 1),
        end_date=datetime.date(2024, 3, 31),
    )
    with pytest.raises(ValidationError) as error:
        make_meeting(plan_2018_2023, period)
    assert "period" in error.value.error_dict


def test_pack_shows_the_old_value_and_lists_later_corrections(
    board_client, board_data, plan_2018_2023, staff_user, other_staff
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    pack = services.meeting_present(meeting=meeting, user=staff_user)
    correct(board_data["late"], board_data["second"], other_staff, 30, "Doublons retirés.")
    page = board_client.get(pack.get_absolute_url()).content.decode()
    assert "20\xa0collaborateurs · cible 40\xa0collaborateurs" in page  # as presented
    assert "Modifié depuis la rencontre du" in page
    corrections = page[page.index('id="corrections"') :]
    assert "30\xa0collaborateurs" in corrections
    assert "Doublons retirés." in corrections
    assert "Luc Bouchard" in corrections
    # The frozen content itself never changed.
    assert pack_row(MeetingPack.objects.get(pk=pack.pk), board_data["late"])["value"] == "20.00"


def test_corrections_to_a_cumulative_value_count_every_period_it_adds(
    board_data, plan_2018_2023, staff_user, board_client
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    pack = services.meeting_present(meeting=meeting, user=staff_user)
    correct(board_data["cumulative"], board_data["first"], staff_user, 8, "Deux guides oubliés.")
    page = board_client.get(pack.get_absolute_url()).content.decode()
    corrections = page[page.index('id="corrections"') :]
    assert "Deux guides oubliés." in corrections
    assert "2018-2019" in corrections


def test_pack_frozen_is_sent_once_the_freeze_is_committed(
    board_data, plan_2018_2023, staff_user, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, pack, path, **kwargs):
        received.append((pack.pk, path))

    pack_frozen.connect(receiver, dispatch_uid="test-pack-frozen")
    try:
        meeting = make_meeting(plan_2018_2023, board_data["second"])
        with django_capture_on_commit_callbacks(execute=True):
            pack = services.meeting_present(meeting=meeting, user=staff_user)
    finally:
        pack_frozen.disconnect(dispatch_uid="test-pack-frozen")
    assert received == [(pack.pk, f"/rencontres/{meeting.pk}/dossier/")]


def test_only_a_superuser_removes_a_pack_and_the_reason_is_kept(
    board_data, plan_2018_2023, staff_user, admin_user
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    services.meeting_present(meeting=meeting, user=staff_user)
    with pytest.raises(PermissionDenied):
        services.meeting_pack_remove(meeting=meeting, user=staff_user, reason="Erreur.")
    with pytest.raises(ValidationError):
        services.meeting_pack_remove(meeting=meeting, user=admin_user, reason="  ")
    assert MeetingPack.objects.filter(meeting=meeting).exists()
    removal = services.meeting_pack_remove(
        meeting=meeting, user=admin_user, reason="Présentée par erreur au mauvais conseil."
    )
    assert not MeetingPack.objects.filter(meeting=meeting).exists()
    assert MeetingPackRemoval.objects.get() == removal
    assert removal.removed_by == admin_user


def test_removal_without_a_reason_is_refused_by_the_database_and_by_full_clean(
    board_data, plan_2018_2023, admin_user
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    removal = MeetingPackRemoval(
        meeting=meeting,
        pack_frozen_at=timezone.now(),
        removed_at=timezone.now(),
        removed_by=admin_user,
        reason="",
    )
    with pytest.raises(ValidationError):
        removal.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        removal.save()


def test_pack_pages_are_read_only_for_everyone_and_removal_is_for_superusers(
    board_data, plan_2018_2023, staff_user, board_client, client, admin_user
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    services.meeting_present(meeting=meeting, user=staff_user)
    remove = reverse("board:meetingpack_remove", args=[meeting.pk])
    pack_page = reverse("board:meetingpack_detail", args=[meeting.pk])
    assert "Retirer ce dossier" not in board_client.get(pack_page).content.decode()
    assert board_client.get(remove).status_code == 403
    assert board_client.post(remove, {"reason": "x"}).status_code == 403
    client.force_login(admin_user)
    assert f'href="{remove}">Retirer ce dossier' in client.get(pack_page).content.decode()
    assert client.post(remove, {"reason": ""}).status_code == 200  # the form asks for a reason
    assert MeetingPack.objects.filter(meeting=meeting).exists()
    response = client.post(remove, {"reason": "Doublon de la rencontre de mars."})
    assert response.status_code == 302
    assert not MeetingPack.objects.filter(meeting=meeting).exists()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Doublon de la rencontre de mars." in page


def test_staff_record_and_present_a_meeting_the_board_only_reads(
    board_data, plan_2018_2023, staff_client, board_user, client
):
    response = staff_client.post(
        reverse("board:meeting_new"),
        {
            "date": "2020-06-10",
            "title": "Conseil de juin",
            "period": board_data["second"].pk,
            "notes": "",
        },
    )
    meeting = Meeting.objects.get(title="Conseil de juin")
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    response = staff_client.post(reverse("board:meeting_present", args=[meeting.pk]))
    assert response["Location"] == reverse("board:meetingpack_detail", args=[meeting.pk])
    client.force_login(board_user)
    assert client.get(reverse("board:meeting_new")).status_code == 403
    assert client.post(reverse("board:meeting_present", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("board:meetingpack_detail", args=[meeting.pk])).status_code == 200


def test_since_page_defaults_to_the_last_meeting_before_today(
    board_data, plan_2018_2023, board_client, staff_user
):
    url = reverse("board:since_last_meeting")
    older = make_meeting(plan_2018_2023, board_data["first"], days_ago=90, title="Conseil d'été")
    latest = make_meeting(plan_2018_2023, board_data["second"], days_ago=3)
    make_meeting(plan_2018_2023, board_data["second"], days_ago=-10, title="Conseil à venir")
    response = board_client.get(url)
    assert response.context["meeting"] == latest
    assert response.context["since"] == latest.date
    assert "Changements depuis la rencontre du" in response.content.decode()
    assert [m.title for m in response.context["meetings"]] == [latest.title, older.title]
    response = board_client.get(url, {"date": older.date.isoformat()})
    assert (response.context["since"], response.context["meeting"]) == (older.date, older)
    # Any other day: no meeting named.
    response = board_client.get(url, {"date": (older.date - datetime.timedelta(1)).isoformat()})
    assert response.context["meeting"] is None


def test_dashboard_highlights_changes_since_the_last_presented_meeting(
    board_data, plan_2018_2023, staff_user, board_client
):
    meeting = make_meeting(plan_2018_2023, board_data["second"], days_ago=5)
    services.meeting_present(meeting=meeting, user=staff_user)
    correct(board_data["late"], board_data["second"], staff_user, 40, "Saisie incomplète.")
    html = board_client.get(reverse("board:dashboard")).content.decode()
    highlights = html[html.index('id="highlights-title"') :]
    assert "depuis la rencontre du" in highlights
    assert board_data["late"].wording in highlights


def test_print_stylesheet_numbers_pages_and_names_the_report(board_client, board_data):
    css = board_client.get(
        reverse("board:board_report_print_css"), {"periode": board_data["second"].pk}
    )
    assert css["Content-Type"] == "text/css; charset=utf-8"
    text = css.content.decode()
    assert '"page " counter(page) " de " counter(pages)' in text
    assert "Plan stratégique 2018-2023 · 2019-2020" in text
    assert "Produit le " in text


def test_print_stylesheet_escapes_the_plans_title(board_client, plan_2018_2023):
    StrategicPlan.objects.filter(pk=plan_2018_2023.pk).update(
        title='Plan "2018" \\ } body { display: none'
    )
    text = board_client.get(reverse("board:board_report_print_css")).content.decode()
    assert 'content: "Plan \\"2018\\" \\\\ } body { display: none"' in text


@pytest.mark.parametrize("size", ["fixture", "generated"])
def test_pack_page_query_count_does_not_grow(
    board_data, plan_2018_2023, staff_user, board_client, django_assert_max_num_queries, size
):
    """Prevents an N+1 over the pack's rows or its corrections (bound: 12 queries)."""
    current_plan_of_size(size)
    plan = StrategicPlan.objects.current()
    period = plan.periods.order_by("start_date").last()
    meeting = make_meeting(plan, period)
    services.meeting_present(meeting=meeting, user=staff_user)
    if size == "fixture":
        correct(board_data["late"], board_data["second"], staff_user, 30, "Correction.")
    with django_assert_max_num_queries(12):
        assert (
            board_client.get(reverse("board:meetingpack_detail", args=[meeting.pk])).status_code
            == 200
        )


def test_meeting_value_is_decimal_text_in_the_frozen_json(board_data, plan_2018_2023, staff_user):
    pack = services.meeting_present(
        meeting=make_meeting(plan_2018_2023, board_data["second"]), user=staff_user
    )
    assert Decimal(pack_row(pack, board_data["level"])["target"]) == 4
