"""Staff record a strategy's state per period; the board reads it on the drill-down pages."""

from django.urls import reverse

from indicators.models import StrategyProgress, StrategyState
from tests import factories


def url(strategy):
    return reverse("indicators:strategyprogress_new", args=[strategy.pk])


def test_staff_record_a_state_with_a_dated_note(staff_client, staff_user, strategy, period):
    response = staff_client.post(
        url(strategy),
        {"period": period.pk, "state": StrategyState.IN_PROGRESS, "note": "Trois ateliers tenus."},
    )
    assert response.status_code == 302
    assert response.url == strategy.orientation.get_absolute_url()
    progress = StrategyProgress.objects.get(strategy=strategy, period=period)
    assert progress.state == StrategyState.IN_PROGRESS
    assert progress.note == "Trois ateliers tenus."
    assert progress.recorded_by == staff_user
    page = staff_client.get(response.url).content.decode()
    assert "en cours" in page
    assert "Trois ateliers tenus." in page
    assert "consigné le" in page


def test_recording_again_for_the_same_period_replaces_the_state_and_keeps_history(
    staff_client, strategy, period
):
    for state in (StrategyState.IN_PROGRESS, StrategyState.DONE):
        seen = staff_client.get(url(strategy)).context["form"]["seen"].value()
        staff_client.post(
            url(strategy), {"period": period.pk, "state": state, "note": "", "seen": seen}
        )
    progress = StrategyProgress.objects.get(strategy=strategy, period=period)
    assert progress.state == StrategyState.DONE
    assert progress.history.count() == 2
    assert "réalisée" in staff_client.get(strategy.orientation.get_absolute_url()).content.decode()


def test_board_cannot_record_a_state(board_client, strategy, period):
    assert board_client.get(url(strategy)).status_code == 403
    response = board_client.post(
        url(strategy), {"period": period.pk, "state": StrategyState.DONE, "note": ""}
    )
    assert response.status_code == 403
    assert not StrategyProgress.objects.exists()


def test_anonymous_is_sent_to_the_login_page(client, strategy):
    response = client.get(url(strategy))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_period_of_another_plan_is_refused(staff_client, strategy):
    foreign = factories.period(factories.plan(start_year=2023, end_year=2028))
    assert foreign.name == "2023-2024"
    response = staff_client.post(
        url(strategy), {"period": foreign.pk, "state": StrategyState.DONE, "note": ""}
    )
    assert response.status_code == 200
    assert not StrategyProgress.objects.exists()


def test_states_are_shown_in_french_on_the_orientation_page(
    board_client, staff_user, strategy, period
):
    factories.strategy_progress(
        strategy, period, staff_user, state=StrategyState.ABANDONED, note="Faute de financement."
    )
    page = board_client.get(strategy.orientation.get_absolute_url()).content.decode()
    assert "abandonnée" in page
    assert "pas commencée" not in page or "aucun état consigné" in page
    assert "Faute de financement." in page
    assert "Consigner un état" not in page  # the board has no button to record
