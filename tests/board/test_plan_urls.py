"""Every plan stays readable: the board pages of any plan at /plans/<years>/…, the current
plan's at /, /rapport/…; staff record only into a plan whose periods are open."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from indicators.lifecycle.copy import plan_copy
from indicators.models import MeasureKind, Measurement, ReportingPeriod
from indicators.recording.services import measurement_record
from plan.models import StrategicPlan
from plan.services import plan_set_closed
from tests import codes, factories

NEXT_TITLE = "Plan stratégique 2023-2028"
OLD = "2018-2023"


@pytest.fixture
def next_plan(plan_2018_2023):
    """The copy of the 2018-2023 plan, made current."""
    copy = plan_copy(source=plan_2018_2023, title=NEXT_TITLE, start_year=2023, end_year=2028)
    StrategicPlan.objects.update(is_current=False)
    StrategicPlan.objects.filter(pk=copy.pk).update(is_current=True)
    copy.refresh_from_db()
    return copy


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_old_plans_dashboard_is_readable_at_its_own_url(board_client, next_plan):
    html = page(board_client, "/plans/2018-2023/")
    assert f'<h1 class="h2 mb-1">{codes.PLAN_TITLE}</h1>' in html
    assert "2018-2019" in html
    assert NEXT_TITLE not in html.split("plan-switcher")[0]
    # Its links stay within the old plan.
    assert 'href="/plans/2018-2023/rapport/' in html
    assert 'href="/plans/2018-2023/rapport.xlsx' in html
    assert 'href="/plans/2018-2023/depuis-la-derniere-rencontre/"' in html


def test_the_current_plans_dashboard_stays_at_the_root(board_client, next_plan):
    html = page(board_client, reverse("board:dashboard"))
    assert f'<h1 class="h2 mb-1">{NEXT_TITLE}</h1>' in html
    assert 'href="/rapport/' in html


def test_the_old_plans_report_is_readable_at_its_own_url(board_client, next_plan):
    html = page(board_client, "/plans/2018-2023/rapport/")
    assert codes.PLAN_TITLE in html
    assert NEXT_TITLE not in html
    assert 'href="/plans/2018-2023/rapport/impression.css' in html
    assert 'href="/plans/2018-2023/"' in html
    css = board_client.get("/plans/2018-2023/rapport/impression.css")
    assert css.status_code == 200
    assert codes.PLAN_TITLE in css.content.decode()


def test_the_old_plans_xlsx_report_is_readable_at_its_own_url(board_client, next_plan):
    response = board_client.get(reverse("board:plan_board_report_xlsx", args=[OLD]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.getvalue())).worksheets[0]
    assert sheet["A1"].value == codes.PLAN_TITLE
    current = board_client.get(reverse("board:board_report_xlsx"))
    sheet = load_workbook(BytesIO(current.getvalue())).worksheets[0]
    assert sheet["A1"].value == NEXT_TITLE


def test_the_old_plans_since_page_is_readable_at_its_own_url(board_client, next_plan):
    html = page(board_client, reverse("board:plan_since_last_meeting", args=[OLD]))
    assert codes.PLAN_TITLE in html
    # Without a meeting, from the start of the period its dashboard reads.
    assert "Changements depuis le 1er avril 2022" in html
    assert 'href="/plans/2018-2023/"' in html


def test_the_plan_switcher_lists_the_other_plans(board_client, next_plan):
    html = page(board_client, "/plans/2018-2023/")
    assert 'href="/">2023-2028 – Plan stratégique 2023-2028 (courant)' in html
    assert "Ce n’est pas le plan courant" in html
    html = page(board_client, "/")
    assert f'href="/plans/2018-2023/">2018-2023 – {codes.PLAN_TITLE}</a>' in html
    assert "Ce n’est pas le plan courant" not in html


def test_a_single_plan_shows_no_switcher(board_client, plan_2018_2023):
    assert "plan-switcher" not in page(board_client, "/")


@pytest.mark.parametrize(
    "suffix", ["", "rapport/", "rapport.xlsx", "depuis-la-derniere-rencontre/"]
)
def test_years_of_no_plan_answer_404(board_client, plan_2018_2023, suffix):
    assert board_client.get(f"/plans/2030-2035/{suffix}").status_code == 404


def test_a_plans_url_reads_it_even_without_a_current_plan(board_client, no_current_plan):
    html = page(board_client, "/plans/2018-2023/")
    assert codes.PLAN_TITLE in html
    assert "Aucun plan courant" not in html


def test_the_plan_urls_need_a_login(client, plan_2018_2023):
    response = client.get("/plans/2018-2023/rapport/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_record_into_the_new_plan_and_not_into_the_closed_old_one(
    next_plan, plan_2018_2023, staff_user
):
    """The write guard: a plan's periods are open until the plan is closed or they are locked."""
    plan_2018_2023.refresh_from_db()
    plan_set_closed(plan=plan_2018_2023, closed=True)
    old_indicator = factories.indicator(codes.result(1), kind=MeasureKind.COUNT, order=20)
    new_indicator = factories.indicator(
        codes.result(1, plan=next_plan), kind=MeasureKind.COUNT, order=20
    )
    old_period = ReportingPeriod.objects.get(plan=plan_2018_2023, name="2019-2020")
    new_period = ReportingPeriod.objects.filter(plan=next_plan).order_by("start_date").first()
    with pytest.raises(ValidationError) as error:
        measurement_record(
            indicator=old_indicator, period=old_period, user=staff_user, value=3, version=0
        )
    assert "est fermé" in error.value.message_dict["period"][0]
    # Another plan's period is refused too.
    with pytest.raises(ValidationError):
        measurement_record(
            indicator=new_indicator, period=old_period, user=staff_user, value=3, version=0
        )
    measurement_record(
        indicator=new_indicator, period=new_period, user=staff_user, value=3, version=0
    )
    assert list(Measurement.objects.values_list("indicator", "period")) == [
        (new_indicator.pk, new_period.pk)
    ]


@pytest.fixture
def draft(plan_2018_2023):
    """The next plan, copied and not adopted yet: a draft (the 2018-2023 plan stays current)."""
    return plan_copy(source=plan_2018_2023, title=NEXT_TITLE, start_year=2023, end_year=2028)


def draft_urls(draft):
    orientation = draft.orientations.get(number=1)
    return [
        "/plans/2023-2028/",
        "/plans/2023-2028/rapport/",
        "/plans/2023-2028/rapport.xlsx",
        "/plans/2023-2028/rapport/impression.css",
        "/plans/2023-2028/depuis-la-derniere-rencontre/",
        orientation.get_absolute_url(),
        orientation.results.first().get_absolute_url(),
        orientation.results.first().indicators.first().get_absolute_url(),
    ]


def test_the_board_never_sees_a_draft_plan(board_client, draft):
    assert "plan-switcher" not in page(board_client, "/")
    for url in draft_urls(draft):
        assert board_client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_staff_and_administrators_still_read_a_draft_plan(
    client, draft, staff_user, admin_user, who
):
    client.force_login(staff_user if who == "staff" else admin_user)
    assert f'href="/plans/2023-2028/">2023-2028 – {NEXT_TITLE}</a>' in page(client, "/")
    for url in draft_urls(draft):
        assert client.get(url).status_code == 200, url


def test_a_draft_is_a_newer_plan_neither_current_nor_closed(plan_2018_2023, draft):
    older = factories.plan(start_year=2013, end_year=2018, title="Plan 2013-2018")
    adopted = StrategicPlan.objects.adopted()
    assert set(adopted) == {plan_2018_2023, older}
    plan_set_closed(plan=draft, closed=True)  # a closed plan was adopted once
    assert draft in StrategicPlan.objects.adopted()
    StrategicPlan.objects.update(is_current=False, is_closed=False)
    # Without a current plan, no plan is newer than it: none is a draft.
    assert StrategicPlan.objects.adopted().count() == 3
