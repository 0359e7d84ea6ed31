import re

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
    response = admin_client.get(url)
    page = response.content.decode()
    assert response.context["title"] == "Impossible de supprimer l’orientation"
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


def test_deleting_selected_orientations_that_hold_indicators_is_refused_by_name(
    admin_client, plan_2018_2023
):
    response = admin_client.post(
        reverse("admin:plan_orientation_changelist"),
        {"action": "delete_selected", "_selected_action": [codes.orientation(1).pk]},
    )
    assert response.context["title"] == "Impossible de supprimer les orientations sélectionnées"
    assert Orientation.objects.filter(pk=codes.orientation(1).pk).exists()


def test_plan_list_shows_years_as_years(admin_client, plan_2018_2023):
    page = admin_client.get(reverse("admin:plan_strategicplan_changelist")).content.decode()
    assert '<td class="field-start">2018</td><td class="field-end">2023</td>' in page
    assert not re.search(r"2\s018|2&nbsp;018", page)


def test_result_and_strategy_lists_head_the_plan_column_plan(admin_client, plan_2018_2023):
    for name in ["result", "strategy"]:
        page = admin_client.get(reverse(f"admin:plan_{name}_changelist")).content.decode()
        assert re.search(r'column-plan.*?<div class="text"><a [^>]*>Plan</a>', page, re.S), name
        assert "Orientation plan" not in page


def test_the_copy_page_says_valeurs_only_of_the_organisational_values(admin_client, plan_2018_2023):
    page = admin_client.get(
        reverse("admin:plan_strategicplan_copy", args=[plan_2018_2023.pk])
    ).content.decode()
    content = page.split('id="content"')[1]
    assert "les valeurs organisationnelles" in content
    assert re.findall(r"\bvaleurs?\b(?! organisationnelles)", content) == []
    assert "ce qui a été saisi : mesures, pièces justificatives et état des stratégies" in content
