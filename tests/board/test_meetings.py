"""Board meetings as records: presenting a meeting freezes its pack, forever, with corrections."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from indicators.board import services
from indicators.board.models import Meeting, MeetingPack, MeetingPackRemoval
from indicators.board.signals import pack_frozen
from indicators.models import MeasureKind, ReportingPeriod
from indicators.recording.services import measurement_record
from plan.models import StrategicPlan
from plan.services import plan_set_closed
from tests.board.data import current_plan_of_size

CONFIRMED = {"confirm": "on"}


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
    assert content["version"] == 2
    assert content["period"]["name"] == "2019-2020"
    assert content["meeting"]["title"] == "Rencontre du conseil"
    late = pack_row(pack, board_data["late"])
    assert (late["status"], late["value"], late["target"]) == ("late", "20.00", "40.00")
    assert (late["kind"], late["unit"], late["direction"]) == (
        MeasureKind.COUNT_BY_CATEGORY,
        "collaborateurs",
        "increase",
    )
    assert Decimal(late["percent"]) == 50
    assert late["story"].startswith("Départ de deux employées")
    level = pack_row(pack, board_data["level"])
    assert ["3", "Expérimentation"] in level["levels"]
    cumulative = pack_row(pack, board_data["cumulative"])
    assert (cumulative["value"], cumulative["period_value"]) == ("11.00", "5.00")
    assert cumulative["value_period"] == {"id": board_data["second"].pk, "name": "2019-2020"}
    strategies = [s for o in content["orientations"] for s in o["strategies"]]
    assert len(strategies) == 26
    assert strategies[0]["number"] == "1.1"
    assert content["summary"]["attention_total"] >= 2
    assert board_data["late"].pk in {row["id"] for row in content["summary"]["attention"]}
    assert content["summary"]["compared_with"] == {"period": "2018-2019"}


def test_a_frozen_pack_holds_codes_and_numbers_never_a_translated_word(
    board_data, plan_2018_2023, staff_user
):
    pack = services.meeting_present(
        meeting=make_meeting(plan_2018_2023, board_data["second"]), user=staff_user
    )
    stored = json.dumps(MeetingPack.objects.get(pk=pack.pk).content, ensure_ascii=False)
    for word in ("en retard", "atteinte", "donnée manquante", "cible ", "(cumul)", "niveau 3"):
        assert word not in stored
    for word in ("plus élevé", "depuis", "aucun état", "Résultat 1", "Orientation 1", "\xa0%"):
        assert word not in stored


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
    response = staff_client.post(reverse("board:meeting_present", args=[meeting.pk]), CONFIRMED)
    assert response["Location"] == reverse("board:meetingpack_detail", args=[meeting.pk])
    client.force_login(board_user)
    assert client.get(reverse("board:meeting_new")).status_code == 403
    assert (
        client.post(reverse("board:meeting_present", args=[meeting.pk]), CONFIRMED).status_code
        == 403
    )
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


# --------------------------------------------------------------------------------------
# Presenting asks for a confirmation; a closed plan's meetings are read-only
# --------------------------------------------------------------------------------------


def test_presenting_needs_the_box_ticked_and_freezes_nothing_without_it(
    board_data, plan_2018_2023, staff_client
):
    meeting = make_meeting(plan_2018_2023, board_data["second"])
    url = reverse("board:meeting_present", args=[meeting.pk])
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    form = page[page.index('class="mb-3 present-form"') :]
    assert 'type="checkbox" name="confirm"' in form
    assert form.index('name="confirm"') < form.index("Marquer comme présentée")
    response = staff_client.post(url)
    assert response.status_code == 200
    assert "Cochez la case pour confirmer\xa0: un dossier figé" in response.content.decode()
    assert not MeetingPack.objects.filter(meeting=meeting).exists()
    response = staff_client.post(url, CONFIRMED)
    assert response.status_code == 302
    assert MeetingPack.objects.filter(meeting=meeting).exists()


@pytest.fixture
def closed_plan_meeting(staff_user):
    """A meeting of another plan (2023-2028), presented, then the plan closed."""
    other = StrategicPlan.objects.create(
        title="Plan 2023-2028", organisation="TIESS", start_year=2023, end_year=2028
    )
    period = ReportingPeriod.objects.create(
        plan=other,
        name="2023-2024",
        start_date=datetime.date(2023, 4, 1),
        end_date=datetime.date(2024, 3, 31),
    )
    presented = make_meeting(other, period, title="Conseil présenté")
    services.meeting_present(meeting=presented, user=staff_user)
    meeting = make_meeting(other, period, title="Conseil de clôture")
    plan_set_closed(plan=other, closed=True)
    return meeting, presented


CLOSED = "Le plan «\xa0Plan 2023-2028\xa0» est fermé\xa0: ses rencontres ne peuvent plus"


def test_a_closed_plans_meetings_are_refused_by_every_write_service(
    closed_plan_meeting, staff_user, admin_user
):
    meeting, presented = closed_plan_meeting
    writes = [
        lambda: services.meeting_update(
            meeting=meeting,
            date=meeting.date,
            title="Titre changé",
            period=meeting.period,
            user=staff_user,
        ),
        lambda: services.meeting_create(
            plan=meeting.plan,
            date=meeting.date,
            title="Nouvelle",
            period=meeting.period,
            user=staff_user,
        ),
        lambda: services.meeting_present(meeting=meeting, user=staff_user),
        lambda: services.meeting_pack_remove(meeting=presented, user=admin_user, reason="Doublon."),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as error:
            write()
        assert CLOSED in error.value.messages[0]
    assert Meeting.objects.get(pk=meeting.pk).title == "Conseil de clôture"
    assert Meeting.objects.filter(plan=meeting.plan).count() == 2
    assert not MeetingPack.objects.filter(meeting=meeting).exists()
    assert MeetingPack.objects.filter(meeting=presented).exists()


def test_reopening_the_plan_lets_its_meetings_change_again(closed_plan_meeting, staff_user):
    meeting, _presented = closed_plan_meeting
    plan_set_closed(plan=meeting.plan, closed=False)
    services.meeting_update(
        meeting=meeting,
        date=meeting.date,
        title="Titre changé",
        period=meeting.period,
        user=staff_user,
    )
    assert Meeting.objects.get(pk=meeting.pk).title == "Titre changé"


def test_a_closed_plans_meeting_pages_answer_403_with_the_reason_and_change_nothing(
    closed_plan_meeting, staff_client, client, admin_user
):
    meeting, presented = closed_plan_meeting
    edit = reverse("board:meeting_edit", args=[meeting.pk])
    for response in [
        staff_client.get(edit),
        staff_client.post(
            edit,
            {"date": "2024-06-10", "title": "Titre changé", "period": meeting.period_id},
        ),
        staff_client.post(reverse("board:meeting_present", args=[meeting.pk]), CONFIRMED),
    ]:
        assert response.status_code == 403
        assert CLOSED in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).title == "Conseil de clôture"
    assert not MeetingPack.objects.filter(meeting=meeting).exists()
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert CLOSED in page
    assert "Marquer comme présentée" not in page
    assert edit not in page
    client.force_login(admin_user)
    remove = reverse("board:meetingpack_remove", args=[presented.pk])
    assert (
        remove
        not in client.get(reverse("board:meetingpack_detail", args=[presented.pk])).content.decode()
    )
    response = client.post(remove, {"reason": "Doublon."})
    assert response.status_code == 403
    assert MeetingPack.objects.filter(meeting=presented).exists()


def test_no_meeting_is_recorded_while_the_current_plan_is_closed(
    board_data, plan_2018_2023, staff_client
):
    plan_set_closed(plan=plan_2018_2023, closed=True)
    url = reverse("board:meeting_new")
    assert staff_client.get(url).status_code == 403
    response = staff_client.post(
        url, {"date": "2020-06-10", "title": "Conseil de juin", "period": board_data["second"].pk}
    )
    assert response.status_code == 403
    assert (
        "est fermé\xa0: ses rencontres ne peuvent plus être modifiées" in response.content.decode()
    )
    assert not Meeting.objects.exists()
    listing = staff_client.get(reverse("board:meeting_list")).content.decode()
    assert url not in listing
    assert "ses rencontres ne peuvent plus être modifiées" in listing


def test_the_admin_keeps_a_closed_plans_meetings_read_only(closed_plan_meeting, client, admin_user):
    meeting, _presented = closed_plan_meeting
    client.force_login(admin_user)
    change = reverse("admin:board_meeting_change", args=[meeting.pk])
    fields = {
        "plan": meeting.plan_id,
        "date": "2024-06-10",
        "title": "Titre changé",
        "period": meeting.period_id,
        "notes": "",
    }
    assert client.post(change, fields).status_code == 403
    response = client.post(reverse("admin:board_meeting_add"), fields)
    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert list(Meeting.objects.filter(plan=meeting.plan).values_list("title", flat=True)) == [
        "Conseil de clôture",
        "Conseil présenté",
    ]
