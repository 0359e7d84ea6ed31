"""Due dates and responsible people, as the admin edits them and the pages show them."""

import datetime

from django.urls import reverse

from tests import codes


def test_admin_edits_a_due_date_and_the_list_shows_the_date_in_force(
    admin_client, plan_2018_2023, settings
):
    settings.REPORTING_DUE_DAYS = 30
    period = codes.period("2022-2023")
    listing = admin_client.get(reverse("admin:indicators_reportingperiod_changelist")).text
    assert "Valeurs attendues le" in listing
    assert "30 avril 2023" in listing  # the default: 30 days after 31 March

    response = admin_client.post(
        reverse("admin:indicators_reportingperiod_change", args=[period.pk]),
        {
            "plan": plan_2018_2023.pk,
            "name": period.name,
            "start_date": "2022-04-01",
            "end_date": "2023-03-31",
            "due_date": "2023-06-15",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.due_date == period.due_on == datetime.date(2023, 6, 15)


def test_admin_refuses_a_due_date_before_the_end(admin_client, plan_2018_2023):
    period = codes.period("2022-2023")
    response = admin_client.post(
        reverse("admin:indicators_reportingperiod_change", args=[period.pk]),
        {
            "plan": plan_2018_2023.pk,
            "name": period.name,
            "start_date": "2022-04-01",
            "end_date": "2023-03-31",
            "due_date": "2023-03-01",
        },
    )
    assert response.status_code == 200
    assert "La date limite ne peut pas précéder la date de fin." in response.text


def test_the_free_text_responsible_name_is_shown_the_account_gets_the_reminders(
    staff_client, staff_user, plan_2018_2023
):
    indicator = codes.indicator("1.1")
    indicator.responsible = staff_user
    indicator.save()
    assert "Marie Tremblay" in staff_client.get(indicator.get_absolute_url()).text
    indicator.responsible_name = "Équipe des communications"
    indicator.save()
    page = staff_client.get(indicator.get_absolute_url()).text
    assert "Équipe des communications" in page
    todo = staff_client.get(reverse("indicators:measurement_todo")).text
    assert "Équipe des communications" in todo
