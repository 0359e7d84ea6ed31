from django.urls import reverse

from indicators.models import Indicator
from plan.models import Orientation
from tests import codes


def test_admin_edits_a_result_wording(admin_client, plan_2018_2023):
    result = codes.result(2)
    url = reverse("admin:plan_result_change", args=[result.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(
        {
            "statement": "Un réseau de liaison lie toutes les régions du Québec.",
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
            "indicators-TOTAL_FORMS": 0,
            "indicators-INITIAL_FORMS": 0,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.statement == "Un réseau de liaison lie toutes les régions du Québec."


def test_admin_adds_an_indicator(admin_client, plan_2018_2023):
    result = codes.result(7)
    assert result.indicators.count() == 3
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        {
            "result": result.pk,
            "order": 4,
            "wording": "Taux de roulement du personnel.",
            "kind": "percentage",
            "direction": "decrease",
            "frequency": "annual",
            "plausibility_factor": "5",
            "plausible_maximum": "100",
            "levels-TOTAL_FORMS": 0,
            "levels-INITIAL_FORMS": 0,
            "targets-TOTAL_FORMS": 0,
            "targets-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    added = codes.indicator("7.4")
    assert added.wording == "Taux de roulement du personnel."
    assert (added.kind, added.direction) == ("percentage", "decrease")
    assert (added.plausibility_factor, added.plausible_maximum) == (5, 100)


def test_admin_refuses_to_delete_an_orientation_with_indicators(admin_client, plan_2018_2023):
    orientation = codes.orientation(1)
    url = reverse("admin:plan_orientation_delete", args=[orientation.pk])
    page = admin_client.get(url).content.decode()
    assert "provoquerait la suppression des objets liés et protégés suivants" in page
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Orientation.objects.filter(pk=orientation.pk).exists()
    assert Indicator.objects.filter(result__orientation=orientation).count() == 4


def test_admin_lists_are_filtered_by_plan_and_searchable(admin_client, plan_2018_2023):
    response = admin_client.get(reverse("admin:plan_strategy_changelist"), {"q": "cartographie"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = admin_client.get(
        reverse("admin:plan_result_changelist"), {"orientation__plan__id__exact": plan_2018_2023.pk}
    )
    assert response.context["cl"].result_count == 7


def test_strategy_links_to_results_use_a_horizontal_filter(admin_client, plan_2018_2023):
    strategy = codes.strategy("1.1")
    page = admin_client.get(reverse("admin:plan_strategy_change", args=[strategy.pk]))
    assert "selectfilter" in page.content.decode()
