"""The targets grid: one save for every cell, all or nothing, each cell checked by its kind."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from indicators.models import MeasureKind, Target
from indicators.targets.grid import read_block, target_grid
from indicators.targets.services import target_cell_key, targets_save
from plan.roles import BOARD_GROUP, STAFF_GROUP
from tests import codes, factories

URL = "/cibles/"


def key(indicator, period):
    return target_cell_key(indicator.pk, period.pk)


@pytest.fixture
def first(plan_2018_2023):
    return codes.period("2018-2019")


@pytest.fixture
def second(plan_2018_2023):
    return codes.period("2019-2020")


@pytest.fixture
def target_editor(db):
    """A staff member given the permission to edit targets."""
    user = factories.member("sophie", STAFF_GROUP, password="mot-de-passe-cibles")
    user.user_permissions.add(Permission.objects.get(codename="edit_targets"))
    return user


def kind_indicator(kind):
    """An indicator of `kind` in the 2018-2023 plan (levels 1 to 5 for a level)."""
    return factories.indicator(codes.result(1), kind=kind, order=30)


# --- The service ------------------------------------------------------------------------------


def test_a_grid_is_saved_in_one_go_with_history_by_the_user(admin_user, first, second):
    tools, level = codes.indicator("1.2"), codes.indicator("1.3")
    changed, deleted = targets_save(
        plan=first.plan,
        cells={
            key(tools, first): "12",
            key(tools, second): "1 200",
            key(level, first): "3",
            key(level, second): "",
        },
        user=admin_user,
    )
    assert (changed, deleted) == (3, 0)
    saved = {(t.indicator_id, t.period_id): t.value for t in Target.objects.all()}
    assert saved == {
        (tools.pk, first.pk): Decimal("12"),
        (tools.pk, second.pk): Decimal("1200"),
        (level.pk, first.pk): Decimal("3"),
    }
    history = Target.history.filter(indicator_id=tools.pk, period_id=second.pk).get()
    assert history.history_user == admin_user
    assert history.history_type == "+"
    assert history.history_change_reason == "grille des cibles"


def test_one_bad_cell_saves_nothing_and_every_bad_cell_is_listed(admin_user, first, second):
    tools, level = codes.indicator("1.2"), codes.indicator("1.3")
    factories.target(tools, first, 10)
    cells = {
        key(tools, first): "20",
        key(tools, second): "2,5",
        key(level, first): "9",
        key(level, second): "4",
    }
    with pytest.raises(ValidationError) as refused:
        targets_save(plan=first.plan, cells=cells, user=admin_user)
    errors = refused.value.message_dict
    assert set(errors) == {key(tools, second), key(level, first)}
    assert errors[key(tools, second)] == ["Un nombre doit être entier (sans décimales)."]
    assert errors[key(level, first)] == ["Choisissez un niveau de l’échelle (de 1 à 5)."]
    assert [(t.indicator_id, t.value) for t in Target.objects.all()] == [(tools.pk, 10)]
    assert Target.history.count() == 1


@pytest.mark.parametrize(
    ("kind", "accepted", "refused"),
    [
        (MeasureKind.COUNT, ["0", "12", "999 999 999 999"], ["-1", "1,5", "9999999999999"]),
        (MeasureKind.COUNT_BY_CATEGORY, ["0", "40"], ["-1", "0,5"]),
        (MeasureKind.PERCENTAGE, ["0", "100", "99,99"], ["-0,01", "100,01", "150"]),
        (MeasureKind.AMOUNT, ["0", "1 250 000,50", "0,01"], ["-0,01", "12,345", "abc"]),
        (MeasureKind.LEVEL, ["1", "5"], ["0", "6", "2,5"]),
        (MeasureKind.QUALITATIVE, [""], ["0", "1"]),
    ],
)
def test_each_kind_checks_its_targets_at_its_boundaries(admin_user, first, kind, accepted, refused):
    indicator = kind_indicator(kind)
    for text in accepted:
        targets_save(plan=first.plan, cells={key(indicator, first): text}, user=admin_user)
    for text in refused:
        with pytest.raises(ValidationError) as error:
            targets_save(plan=first.plan, cells={key(indicator, first): text}, user=admin_user)
        assert list(error.value.message_dict) == [key(indicator, first)], text
    last = accepted[-1]
    saved = Target.objects.filter(indicator=indicator).first()
    assert (saved.value if saved else "") == (
        Decimal(last.replace(" ", "").replace(",", ".")) if last else ""
    )


def test_numbers_follow_the_one_number_rule(admin_user, first):
    indicator = kind_indicator(MeasureKind.AMOUNT)
    for text in ["1e999999999", "NaN", "12,345", "1" * 41]:
        with pytest.raises(ValidationError):
            targets_save(plan=first.plan, cells={key(indicator, first): text}, user=admin_user)
    assert not Target.objects.filter(indicator=indicator).exists()


def test_an_empty_cell_deletes_the_target_and_the_history_says_who(admin_user, first, second):
    tools = codes.indicator("1.2")
    factories.target(tools, first, 10, comment="Cible du plan")
    factories.target(tools, second, 20)
    changed, deleted = targets_save(
        plan=first.plan,
        cells={key(tools, first): "  ", key(tools, second): "20"},
        user=admin_user,
    )
    assert (changed, deleted) == (0, 1)
    assert list(Target.objects.values_list("period_id", "value")) == [(second.pk, 20)]
    removal = Target.history.get(history_type="-")
    assert (removal.period_id, removal.history_user) == (first.pk, admin_user)
    # An unchanged value writes no new version.
    assert Target.history.filter(period_id=second.pk).count() == 1


def test_a_changed_target_keeps_its_comment_and_its_earlier_value(admin_user, first):
    tools = codes.indicator("1.2")
    factories.target(tools, first, 10, comment="Cible du plan")
    targets_save(plan=first.plan, cells={key(tools, first): "15"}, user=admin_user)
    target = Target.objects.get()
    assert (target.value, target.comment) == (15, "Cible du plan")
    assert [h.value for h in target.history.order_by("history_date")] == [10, 15]


def test_a_period_or_an_indicator_of_another_plan_is_refused(admin_user, first):
    other_plan = factories.plan(start_year=2023, end_year=2028)
    other_period = factories.period(other_plan)
    other_indicator = factories.indicator(
        factories.result(factories.orientation(other_plan)), kind=MeasureKind.COUNT
    )
    tools = codes.indicator("1.2")
    cells = {
        key(tools, first): "5",
        key(tools, other_period): "5",
        key(other_indicator, first): "5",
        "pas-une-cellule": "5",
    }
    with pytest.raises(ValidationError) as refused:
        targets_save(plan=first.plan, cells=cells, user=admin_user)
    errors = refused.value.message_dict
    assert set(errors) == {key(tools, other_period), key(other_indicator, first), "pas-une-cellule"}
    assert "Cette période n’appartient pas au plan" in errors[key(tools, other_period)][0]
    assert not Target.objects.exists()


def test_a_closed_plan_takes_no_target(admin_user, first):
    first.plan.is_closed = True
    first.plan.save()
    with pytest.raises(ValidationError) as refused:
        targets_save(
            plan=first.plan, cells={key(codes.indicator("1.2"), first): "5"}, user=admin_user
        )
    assert list(refused.value.message_dict) == [NON_FIELD_ERRORS]
    assert not Target.objects.exists()


# --- Two people on the same grid ---------------------------------------------------------------


def test_a_cell_left_as_it_was_seen_keeps_what_someone_saved_since(admin_user, first):
    tools = codes.indicator("1.2")
    seen = {key(tools, first): ""}  # the grid was read before any target
    factories.target(tools, first, 7)  # … then someone saved one
    targets_save(plan=first.plan, cells={key(tools, first): ""}, user=admin_user, seen=seen)
    assert Target.objects.get().value == 7


def test_a_cell_changed_here_and_by_someone_else_is_refused_with_the_current_value(
    admin_user, first, second
):
    tools = codes.indicator("1.2")
    factories.target(tools, first, 10)
    seen = {key(tools, first): "10", key(tools, second): ""}
    Target.objects.update(value=12)  # someone changed it after the grid was read
    cells = {key(tools, first): "15", key(tools, second): "20"}
    with pytest.raises(ValidationError) as refused:
        targets_save(plan=first.plan, cells=cells, user=admin_user, seen=seen)
    assert refused.value.message_dict == {
        key(tools, first): [
            "Quelqu’un a modifié cette cible depuis l’ouverture de la grille : elle vaut "
            "maintenant « 12\xa0outils ». Vérifiez-la, puis enregistrez de nouveau."
        ]
    }
    assert list(Target.objects.values_list("value", flat=True)) == [12]
    # The same value typed by both is no conflict; starting from the current value saves.
    targets_save(plan=first.plan, cells=cells, user=admin_user, seen={key(tools, first): "12"})
    assert sorted(Target.objects.values_list("value", flat=True)) == [15, 20]


def test_a_cell_whose_seen_text_is_unreadable_is_refused_unless_it_holds_the_saved_value(
    admin_user, first, second
):
    """A "seen" text that is not a number matches no saved value: the cell is a conflict."""
    tools = codes.indicator("1.2")
    factories.target(tools, first, 10)
    seen = {key(tools, first): "dix", key(tools, second): "dix"}
    cells = {key(tools, first): "15", key(tools, second): "20"}
    with pytest.raises(ValidationError) as refused:
        targets_save(plan=first.plan, cells=cells, user=admin_user, seen=seen)
    assert set(refused.value.message_dict) == set(cells)
    cells = {key(tools, first): "10", key(tools, second): ""}
    assert targets_save(plan=first.plan, cells=cells, user=admin_user, seen=seen) == (0, 0)
    assert list(Target.objects.values_list("value", flat=True)) == [10]


def test_a_cell_left_untouched_is_not_checked_again(admin_user, first):
    level = codes.indicator("1.3")
    factories.target(level, first, 9)  # older data, off today's scale
    cells = {key(level, first): "9", key(codes.indicator("1.2"), first): "3"}
    targets_save(plan=first.plan, cells=cells, user=admin_user, seen={key(level, first): "9"})
    assert Target.objects.count() == 2


# --- A block pasted from a spreadsheet ------------------------------------------------------


def test_a_block_with_period_names_and_codes_lands_on_its_cells(plan_2018_2023, first, second):
    grid = target_grid(plan_2018_2023)
    tools, level = codes.indicator("1.2"), codes.indicator("1.3")
    block = "Code\t2019-2020\t2018-2019\r\n1.3\t4\t3\r\n1.2\t20\t10\r\n"
    assert read_block(grid, block) == {
        key(level, second): "4",
        key(level, first): "3",
        key(tools, second): "20",
        key(tools, first): "10",
    }


def test_a_bare_block_fills_the_grid_from_its_first_cell(plan_2018_2023, first, second):
    grid = target_grid(plan_2018_2023)
    block = "1\t2\n3\t4"
    assert read_block(grid, block) == {
        key(codes.indicator("1.1"), first): "1",
        key(codes.indicator("1.1"), second): "2",
        key(codes.indicator("1.2"), first): "3",
        key(codes.indicator("1.2"), second): "4",
    }
    # Codes without a header row, periods without a codes column.
    assert read_block(grid, "1.2\t7") == {key(codes.indicator("1.2"), first): "7"}
    assert read_block(grid, "2019-2020\n8") == {key(codes.indicator("1.1"), second): "8"}


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("1\t2\t3\t4\t5\t6", "plus de colonnes"),
        ("\t2018-2019\n9.9\t4", "n’est pas le code"),
        ("Code\t2018-2019\tAutre\n1.2\t4\t5", "ne sont pas nommées"),
        ("\n".join(["1"] * 18), "plus de lignes"),
    ],
)
def test_a_block_that_does_not_fit_the_grid_is_refused(plan_2018_2023, block, message):
    with pytest.raises(ValidationError) as refused:
        read_block(target_grid(plan_2018_2023), block)
    assert message in " ".join(refused.value.messages)


def test_the_grid_has_every_indicator_with_a_numeric_target(plan_2018_2023):
    grid = target_grid(plan_2018_2023)
    assert [row.code for row in grid.rows][:4] == ["1.1", "1.2", "1.3", "1.4"]
    assert len(grid.rows) == 17  # 19 indicators, 2 of them qualitative
    assert "6.3" not in [row.code for row in grid.rows]
    assert [p.name for p in grid.periods] == [f"{y}-{y + 1}" for y in range(2018, 2023)]


# --- The page ---------------------------------------------------------------------------------


def test_only_administrators_and_people_with_the_permission_open_the_grid(
    client, first, staff_user, board_user, admin_user, target_editor
):
    for user, status in [
        (staff_user, 403),
        (board_user, 403),
        (admin_user, 200),
        (target_editor, 200),
    ]:
        client.force_login(user)
        assert client.get(URL).status_code == status, user
        if status == 403:
            assert (
                client.post(URL, {f"cell-{key(codes.indicator('1.2'), first)}": "5"}).status_code
                == 403
            )
    assert not Target.objects.exists()
    client.logout()
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_no_role_has_the_permission_by_default(db):
    for name in (STAFF_GROUP, BOARD_GROUP):
        assert not Group.objects.get(name=name).permissions.filter(codename="edit_targets")


def test_the_page_saves_the_grid_and_says_so(client, target_editor, first, second):
    client.force_login(target_editor)
    tools = codes.indicator("1.2")
    response = client.post(
        URL, {f"cell-{key(tools, first)}": "12", f"cell-{key(tools, second)}": "14"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert sorted(Target.objects.values_list("value", flat=True)) == [12, 14]
    page = client.get(URL).content.decode()
    assert "Les cibles ont été enregistrées" in page
    assert f'name="cell-{key(tools, first)}" value="12"' in page
    assert Target.history.first().history_user == target_editor


def test_a_refused_cell_shows_its_error_in_place_and_keeps_what_was_typed(
    client, target_editor, first, second
):
    client.force_login(target_editor)
    tools, level = codes.indicator("1.2"), codes.indicator("1.3")
    response = client.post(
        URL,
        {
            f"cell-{key(tools, first)}": "12",
            f"cell-{key(level, second)}": "7",
            f"cell-{key(tools, second)}": "beaucoup",
        },
    )
    assert response.status_code == 200
    assert not Target.objects.exists()
    page = response.content.decode()
    assert "2 cellules ont été refusées : rien n’a été enregistré." in page
    for cell, typed in [(key(tools, first), "12"), (key(level, second), "7")]:
        assert f'name="cell-{cell}" value="{typed}"' in page
    assert (
        f'id="cell-{key(level, second)}-error">Choisissez un niveau de l’échelle (de 1 à 5).'
        in (page)
    )
    assert f'href="#cell-{key(tools, second)}">1.2 · 2019-2020</a>' in page


def test_a_block_pasted_in_the_box_is_saved_without_javascript(client, admin_user, first, second):
    client.force_login(admin_user)
    tools = codes.indicator("1.2")
    response = client.post(
        URL,
        {
            f"cell-{key(tools, first)}": "1",
            "block": "\t2018-2019\t2019-2020\n1.2\t10\t20\n1.3\t2\t3",
        },
    )
    assert response.status_code == 302
    saved = {(t.indicator.pk, t.period.name): t.value for t in Target.objects.all()}
    assert saved == {
        (tools.pk, "2018-2019"): 10,
        (tools.pk, "2019-2020"): 20,
        (codes.indicator("1.3").pk, "2018-2019"): 2,
        (codes.indicator("1.3").pk, "2019-2020"): 3,
    }


def test_a_block_that_does_not_fit_is_kept_in_its_box_with_the_reason(client, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, {"block": "\t2018-2019\n9.9\t4"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "« 9.9 » n’est pas le code d’un indicateur de cette grille" in page
    assert "9.9\t4</textarea>" in page
    assert not Target.objects.exists()


def test_another_plan_is_chosen_by_the_query_string(client, admin_user, plan_2018_2023):
    other = factories.plan(start_year=2023, end_year=2028)
    period = factories.period(other)
    indicator = factories.indicator(
        factories.result(factories.orientation(other)), kind=MeasureKind.PERCENTAGE
    )
    client.force_login(admin_user)
    response = client.get(f"{URL}?plan={other.pk}")
    assert [row.indicator for row in response.context["grid"].rows] == [indicator]
    posted = client.post(f"{URL}?plan={other.pk}", {f"cell-{key(indicator, period)}": "55"})
    assert posted["Location"] == f"{URL}?plan={other.pk}"
    assert Target.objects.get().value == 55
    assert client.get(f"{URL}?plan=99999").status_code == 404
    assert client.get(f"{URL}?plan=x").status_code == 404


def test_without_a_current_plan_the_page_explains(client, admin_user, no_current_plan):
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucun plan courant" in response.content.decode()


def test_the_grid_is_linked_from_the_todo_list_for_people_with_the_permission(
    client, staff_user, target_editor, plan_2018_2023
):
    client.force_login(target_editor)
    assert f'href="{URL}"' in client.get("/saisie/").content.decode()
    client.force_login(staff_user)
    assert f'href="{URL}"' not in client.get("/saisie/").content.decode()


def test_the_admin_plan_page_links_to_its_grid(admin_client, plan_2018_2023):
    page = admin_client.get(f"/admin/plan/strategicplan/{plan_2018_2023.pk}/change/")
    assert f'href="{URL}?plan={plan_2018_2023.pk}"' in page.content.decode()


def test_the_page_reads_the_grid_in_a_fixed_number_of_queries(
    client, admin_user, plan_2018_2023, django_assert_max_num_queries
):
    """Guards against one query per indicator (its scale) or per cell (its target)."""
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
    for row in target_grid(plan_2018_2023).rows:
        for cell in row.cells:
            factories.target(row.indicator, cell.period, 1 if row.indicator.has_levels else 10)
    factories.indicator(codes.result(2), kind=MeasureKind.LEVEL, order=9)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["grid"].rows) == 18


def test_a_stale_grid_keeps_the_other_persons_targets_and_shows_a_conflict(
    client, target_editor, admin_user, first, second
):
    tools, level = codes.indicator("1.2"), codes.indicator("1.3")
    factories.target(tools, first, 10)
    client.force_login(target_editor)
    seen = client.get(URL).context["grid"].seen_json
    # Meanwhile an administrator changes 1.2 and adds a target for 1.3.
    targets_save(
        plan=first.plan,
        cells={key(tools, first): "12", key(level, second): "4"},
        user=admin_user,
    )
    posted = {
        "seen": seen,
        f"cell-{key(tools, first)}": "15",
        f"cell-{key(level, second)}": "",  # empty when the grid was read: left alone
        f"cell-{key(tools, second)}": "30",
    }
    response = client.post(URL, posted)
    assert response.status_code == 200
    page = response.content.decode()
    assert "elle vaut maintenant « 12\xa0outils »" in page
    assert f'name="cell-{key(tools, first)}" value="15"' in page
    assert f'name="cell-{key(level, second)}" value="4"' in page
    assert f'name="cell-{key(tools, second)}" value="30"' in page
    # Saving again from what the page now shows is deliberate: it goes through.
    posted = {
        "seen": response.context["grid"].seen_json,
        f"cell-{key(tools, first)}": "15",
        f"cell-{key(level, second)}": "4",
        f"cell-{key(tools, second)}": "30",
    }
    assert client.post(URL, posted).status_code == 302
    saved = {(t.indicator_id, t.period_id): t.value for t in Target.objects.all()}
    assert saved == {
        (tools.pk, first.pk): 15,
        (tools.pk, second.pk): 30,
        (level.pk, second.pk): 4,
    }
