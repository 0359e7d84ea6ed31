"""The indicators' admin: periods and targets tools, titles, columns and choices that read well."""

import datetime
import json
import re

from django.urls import reverse

from indicators.lifecycle.periods import plan_create_default_periods
from indicators.models import ReportingPeriod, Target
from indicators.recording.services import measurement_record
from plan.roles import BOARD_GROUP, STAFF_GROUP
from tests import codes, factories


def test_default_periods_are_the_plan_years_and_never_duplicated(plan_2018_2023):
    ReportingPeriod.objects.filter(plan=plan_2018_2023).delete()

    created = plan_create_default_periods(plan=plan_2018_2023)

    assert [period.name for period in created] == [
        "2018-2019",
        "2019-2020",
        "2020-2021",
        "2021-2022",
        "2022-2023",
    ]
    assert created[0].start_date == datetime.date(2018, 4, 1)
    assert created[-1].end_date == datetime.date(2023, 3, 31)
    assert plan_create_default_periods(plan=plan_2018_2023) == []
    assert ReportingPeriod.objects.filter(plan=plan_2018_2023).count() == 5


def test_admin_locks_and_unlocks_periods(admin_client, plan_2018_2023):
    period = codes.period("2019-2020")
    url = reverse("admin:indicators_reportingperiod_changelist")

    response = admin_client.post(
        url, {"action": "lock_periods", "_selected_action": [period.pk]}, follow=True
    )
    assert "1 période a été verrouillée." in response.content.decode()
    period.refresh_from_db()
    assert period.is_locked

    admin_client.post(url, {"action": "unlock_periods", "_selected_action": [period.pk]})
    period.refresh_from_db()
    assert not period.is_locked


def test_admin_creates_missing_default_periods(admin_client, plan_2018_2023):
    ReportingPeriod.objects.filter(
        plan=plan_2018_2023, name__in=["2021-2022", "2022-2023"]
    ).delete()
    first = codes.period("2018-2019")

    response = admin_client.post(
        reverse("admin:indicators_reportingperiod_changelist"),
        {"action": "create_default_periods", "_selected_action": [first.pk]},
        follow=True,
    )

    assert "2 périodes ont été créées." in response.content.decode()
    assert ReportingPeriod.objects.filter(plan=plan_2018_2023).count() == 5


def test_admin_refuses_a_target_outside_the_scale(admin_client, level_indicator, period):
    url = reverse("admin:indicators_indicator_change", args=[level_indicator.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "result": level_indicator.result_id,
            "levels-TOTAL_FORMS": "0",
            "levels-INITIAL_FORMS": "0",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-0-period": period.pk,
            "targets-0-value": "7",
            "end_target_value": "9",
        }
    )
    data.pop("responsible", None)
    data.pop("dimension", None)
    data.pop("baseline_period", None)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Choisissez un niveau de l’échelle (de 1 à 5).") == 2
    assert not Target.objects.exists()


def test_measurements_are_read_only_in_the_admin(admin_client, staff_user, tools_indicator, period):
    measurement = measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={tools_indicator.dimension.categories.first().pk: 2},
        version=0,
    )
    url = reverse("admin:indicators_measurement_change", args=[measurement.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"status": "recorded", "value": "99"}).status_code == 403
    assert admin_client.get(reverse("admin:indicators_measurement_add")).status_code == 403
    history = admin_client.get(
        reverse("admin:indicators_measurement_history", args=[measurement.pk])
    )
    assert history.status_code == 200


def test_admin_creates_the_yearly_periods_of_a_new_plan(admin_client, plan_2018_2023):
    new_plan = factories.plan(start_year=2023, end_year=2028)
    url = reverse("admin:indicators_reportingperiod_defaults")
    assert (
        url
        in admin_client.get(reverse("admin:indicators_reportingperiod_changelist")).content.decode()
    )
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"plan": new_plan.pk}, follow=True)

    assert "5 périodes ont été créées." in response.content.decode()
    assert list(new_plan.periods.values_list("name", flat=True)) == [
        "2023-2024",
        "2024-2025",
        "2025-2026",
        "2026-2027",
        "2027-2028",
    ]


def test_staff_cannot_open_the_default_periods_page(staff_client, staff_user, plan_2018_2023):
    staff_user.is_staff = True
    staff_user.save()
    response = staff_client.get(reverse("admin:indicators_reportingperiod_defaults"))
    assert response.status_code == 403


def inline_add_texts(response):
    """The « add » link of each inline, as Django's inlines.js will write it."""
    found = re.findall(r'data-inline-formset="([^"]+)"', response.content.decode())
    return [json.loads(html_unescape(data))["options"]["addText"] for data in found]


def html_unescape(text):
    return text.replace("&quot;", '"').replace("&amp;", "&")


def test_indicator_pages_are_titled_with_the_article(admin_client, client, plan_2018_2023):
    add = admin_client.get(reverse("admin:indicators_indicator_add"))
    assert add.context["title"] == "Ajouter un indicateur"
    assert "<title>Ajouter un indicateur |" in add.content.decode()
    assert "&rsaquo; Ajouter un indicateur" in add.content.decode()  # the last breadcrumb
    assert inline_add_texts(add) == ["Ajouter un niveau d’échelle", "Ajouter une cible"]
    change = admin_client.get(
        reverse("admin:indicators_indicator_change", args=[codes.indicator("1.3").pk])
    )
    assert change.context["title"] == "Modifier l’indicateur"

    admin_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    add = admin_client.get(reverse("admin:indicators_indicator_add"))
    assert add.context["title"] == "Add an indicator"
    assert inline_add_texts(add) == ["Add a scale level", "Add a target"]


def test_period_list_words_its_actions_and_button_in_the_feminine(admin_client, plan_2018_2023):
    response = admin_client.get(reverse("admin:indicators_reportingperiod_changelist"))
    page = response.content.decode()
    assert response.context["title"] == "Choisir la période de suivi à modifier"
    assert ">Supprimer les périodes de suivi sélectionnées</option>" in page
    assert re.search(r'class="addlink">\s*Ajouter une période de suivi\s*</a>', page)


def test_a_read_only_value_is_titled_to_be_read(admin_client, recorded_data):
    response = admin_client.get(
        reverse("admin:indicators_measurement_change", args=[recorded_data.pk])
    )
    assert response.context["title"] == "Consulter la mesure"
    assert inline_add_texts(response) == [
        "Ajouter une valeur ventilée",
        "Ajouter une pièce justificative",
    ]


def test_lists_head_the_plan_column_plan(admin_client, recorded_data, staff_user):
    factories.strategy_progress(
        codes.strategy("1.1"), codes.period("2018-2019"), staff_user, state="in_progress"
    )
    for name in ["indicator", "measurement", "strategyprogress"]:
        response = admin_client.get(reverse(f"admin:indicators_{name}_changelist"))
        page = response.content.decode()
        assert re.search(r'<th scope="col" class="sortable column-plan[^"]*">', page), name
        assert re.search(r'column-plan.*?<div class="text"><a [^>]*>Plan</a>', page, re.S), name
        assert not re.search(r"(?i)orientation plan|period plan", page), name


def test_a_new_indicators_wording_help_fits_one_outside_the_adopted_plan(admin_client, db):
    page = admin_client.get(reverse("admin:indicators_indicator_add")).content.decode()
    assert (
        "Le libellé de l’indicateur, tel que tous le liront. Pour un indicateur du plan adopté, "
        "reprenez les mots du plan sans les changer."
    ) in page
    assert "Tel qu’écrit dans le plan adopté" not in page


def responsible_choices_offered(admin_client, url):
    field = admin_client.get(url).context["adminform"].form.fields["responsible"]
    return {label for value, label in field.choices if value}


def test_only_staff_and_administrators_can_be_made_responsible(
    admin_client, admin_user, staff_user, board_user, plan_2018_2023
):
    factories.member("ancien", STAFF_GROUP, password="x", is_active=False)
    factories.member("claire", BOARD_GROUP, password="x", first_name="Claire", last_name="Roy")

    offered = responsible_choices_offered(admin_client, reverse("admin:indicators_indicator_add"))

    assert offered == {"admin", "Marie Tremblay (marie)"}


def test_a_responsible_who_left_the_staff_is_kept_until_changed(
    admin_client, board_user, staff_user, plan_2018_2023
):
    indicator = codes.indicator("1.3")
    indicator.responsible = board_user
    indicator.save()

    offered = responsible_choices_offered(
        admin_client, reverse("admin:indicators_indicator_change", args=[indicator.pk])
    )

    assert offered == {"admin", "Marie Tremblay (marie)", "André Gagnon (andre)"}
