"""The entry grid /saisie/<period>/: every indicator of a period on one page, each row saved
through the same write service as the indicator page (versions, reasons, plausibility)."""

import re
from decimal import Decimal

from django.urls import reverse

from indicators.models import Measurement
from indicators.recording.grid import grid_rows
from indicators.recording.services import measurement_record
from tests import codes, factories


def grid_url(period, **query):
    url = reverse("indicators:measurement_grid", args=[period.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def row_url(period, indicator):
    return reverse("indicators:measurement_grid_row", args=[period.pk, indicator.pk])


def row_post(indicator, period, version=0, **fields):
    """The POST of one row, as the grid names its fields (prefix i<indicator id>)."""
    data = {
        f"i{indicator.pk}-period": period.pk,
        f"i{indicator.pk}-version": version,
        f"i{indicator.pk}-status": "recorded",
    }
    data.update({f"i{indicator.pk}-{name}": value for name, value in fields.items()})
    return data


def test_grid_shows_every_indicator_mine_first_with_phone_keypads(staff_client, staff_user, period):
    mine = codes.indicator("3.1")
    mine.responsible = staff_user
    mine.save()

    response = staff_client.get(grid_url(period))

    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tbody class="entry-row[^"]*" id="row-(\d+)"', html)
    assert len(rows) == 19
    assert rows[0] == str(mine.pk)
    assert 'inputmode="decimal"' in html
    assert reverse("indicators:measurement_grid_row", args=[period.pk, mine.pk]) in html


def test_grid_filters_by_orientation_and_responsible(staff_client, staff_user, period):
    mine = codes.indicator("1.2")
    mine.responsible = staff_user
    mine.save()

    by_orientation = staff_client.get(grid_url(period, orientation=1)).content.decode()
    by_person = staff_client.get(grid_url(period, responsable=staff_user.pk)).content.decode()

    assert 0 < by_orientation.count('<tbody class="entry-row') < 19
    assert by_person.count('<tbody class="entry-row') == 1


def test_grid_shows_previous_value_and_target(count_indicator, staff_client, staff_user, period):
    indicator = count_indicator
    factories.measurement(indicator, codes.period("2018-2019"), staff_user, 17)
    factories.target(indicator, period, 25)

    html = staff_client.get(grid_url(period)).content.decode()
    row = html.split(f'id="row-{indicator.pk}"')[1].split("</tbody>")[0]

    assert "17" in row
    assert "25" in row


def test_plain_post_saves_every_valid_row_and_shows_the_others_errors(
    count_indicator,
    staff_client,
    period,
    tools_indicator,
    categories,
    level_indicator,
    qualitative_indicator,
):
    count = count_indicator
    data = {}
    data.update(row_post(count, period, value="12"))
    data.update(row_post(level_indicator, period, level="3"))
    data.update(row_post(tools_indicator, period, **{f"cat_{categories[0].pk}": "2,5"}))
    data.update(row_post(qualitative_indicator, period, narrative="Les partenaires nous citent."))

    response = staff_client.post(grid_url(period), data)

    assert response.status_code == 400
    saved = {m.indicator_id: m for m in Measurement.objects.filter(period=period)}
    assert saved[count.pk].value == 12
    assert saved[level_indicator.pk].value == 3
    assert saved[qualitative_indicator.pk].narrative == "Les partenaires nous citent."
    assert tools_indicator.pk not in saved
    html = response.content.decode()
    assert "Un nombre doit être entier (sans décimales)." in html
    assert f'href="#row-{tools_indicator.pk}"' in html  # the summary links to the row
    assert "3 valeurs ont été enregistrées." in html


def test_plain_post_without_errors_redirects_back(count_indicator, staff_client, period):
    count = count_indicator

    response = staff_client.post(grid_url(period), row_post(count, period, value="4"))

    assert response.status_code == 302
    assert response.url == grid_url(period)
    assert Measurement.objects.get(period=period, indicator=count).value == 4


def test_untouched_rows_keep_their_comment_and_are_not_rewritten(
    count_indicator, staff_client, staff_user, period
):
    count = count_indicator
    measurement_record(
        indicator=count, period=period, user=staff_user, value=Decimal(5), comment="Vérifié"
    )
    html = staff_client.get(grid_url(period)).content.decode()
    assert 'value="5"' in html

    response = staff_client.post(grid_url(period), row_post(count, period, version=1, value="5"))

    assert response.status_code == 302
    measurement = Measurement.objects.get(period=period, indicator=count)
    assert (measurement.version, measurement.comment) == (1, "Vérifié")


def test_row_correction_needs_a_reason_in_the_row(
    count_indicator, staff_client, staff_user, period
):
    count = count_indicator
    measurement_record(
        indicator=count, period=period, user=staff_user, value=Decimal(5), comment="Vérifié"
    )

    refused = staff_client.post(row_url(period, count), row_post(count, period, 1, value="6"))
    saved = staff_client.post(
        row_url(period, count), row_post(count, period, 1, value="6", reason="Recompté")
    )

    assert refused.status_code == 400
    assert refused.json()["state"] == "reason"
    assert "indiquez la raison" in refused.json()["html"]
    assert saved.json()["state"] == "saved"
    assert "enregistré" in saved.json()["html"]
    measurement = Measurement.objects.get(period=period, indicator=count)
    assert (measurement.value, measurement.version, measurement.comment) == (6, 2, "Vérifié")
    assert measurement.history.first().history_change_reason == "Recompté"


def test_row_conflict_shows_the_other_persons_value(
    count_indicator, staff_client, other_staff, period
):
    count = count_indicator
    measurement_record(indicator=count, period=period, user=other_staff, value=Decimal(8))

    response = staff_client.post(row_url(period, count), row_post(count, period, 0, value="9"))

    assert response.status_code == 400
    html = response.json()["html"]
    assert "Luc Bouchard" in html
    assert "« 8" in html or "“8" in html or "8 " in html
    assert Measurement.objects.get(period=period, indicator=count).value == 8


def test_row_implausible_value_asks_for_confirmation(
    count_indicator, staff_client, staff_user, period
):
    count = count_indicator
    factories.measurement(count, codes.period("2018-2019"), staff_user, 10)

    asked = staff_client.post(row_url(period, count), row_post(count, period, value="100"))

    assert asked.status_code == 400
    assert "Je confirme cette valeur" in asked.json()["html"]
    assert not Measurement.objects.filter(period=period, indicator=count).exists()
    confirmed = staff_client.post(
        row_url(period, count), row_post(count, period, value="100", confirmed="on")
    )
    assert confirmed.json()["state"] == "saved"
    measurement = Measurement.objects.get(period=period, indicator=count)
    assert measurement.history.get().plausibility_confirmation.startswith("Valeur confirmée")


def test_locked_period_saves_nothing(count_indicator, staff_client, period):
    period.is_locked = True
    period.save()
    count = count_indicator

    page = staff_client.post(grid_url(period), row_post(count, period, value="4"))
    row = staff_client.post(row_url(period, count), row_post(count, period, value="4"))

    assert "verrouillée" in page.content.decode()
    assert row.status_code == 400
    assert not Measurement.objects.exists()


def test_period_of_another_plan_is_not_found(staff_client, plan_2018_2023):
    other = factories.period(factories.plan(start_year=2030, end_year=2035))

    assert staff_client.get(grid_url(other)).status_code == 404


def test_grid_query_count_does_not_grow_with_values(
    staff_client, staff_user, period, django_assert_max_num_queries
):
    """Guards the rows' reads: measurements, previous values, targets, breakdowns, levels
    are fetched once for all rows (an N+1 would add one query per indicator)."""
    with django_assert_max_num_queries(25):
        staff_client.get(grid_url(period))
    for code in ("3.1", "1.1", "2.1", "4.1"):
        factories.measurement(codes.indicator(code), period, staff_user, 3)
        factories.target(codes.indicator(code), period, 5)
    with django_assert_max_num_queries(25):
        staff_client.get(grid_url(period))


def test_grid_rows_are_read_in_eight_queries_whatever_the_number_of_rows(
    plan_2018_2023, period, staff_user, tools_indicator, categories, django_assert_num_queries
):
    """One query per kind of data (grid.grid_rows' docstring), not one per indicator."""
    for code in ("1.1", "1.2"):
        factories.measurement(codes.indicator(code), codes.period("2018-2019"), staff_user, 17)
        factories.measurement(codes.indicator(code), period, staff_user, 17)
        factories.target(codes.indicator(code), period, 25)
    with django_assert_num_queries(8):
        rows = grid_rows(plan=plan_2018_2023, period=period, user=staff_user)
    assert len(rows) == 19


def test_todo_links_to_the_grid(staff_client, period):
    html = staff_client.get(reverse("indicators:measurement_todo") + f"?periode={period.pk}")

    assert grid_url(period) in html.content.decode()


def test_staff_land_on_the_todo_list_after_login(client, staff_user, plan_2018_2023):
    response = client.post(
        reverse("login"), {"username": "marie", "password": "mot-de-passe-personnel"}
    )
    assert response.url == reverse("landing")
    assert client.get(response.url).url == reverse("indicators:measurement_todo")


def test_login_with_next_goes_to_next(client, staff_user, plan_2018_2023):
    response = client.post(
        reverse("login") + "?next=/plan/",
        {"username": "marie", "password": "mot-de-passe-personnel", "next": "/plan/"},
    )
    assert response.url == "/plan/"
