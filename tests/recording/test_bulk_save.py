"""A value and its categories written in a few queries (issue 20, item 6): the write guard
validates the row once (every check constraint in one query) and writes the categories and
their history in bulk, with the same history, refusals and conflicts as before."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint
from django.urls import reverse
from django.utils import timezone

from indicators.models import (
    MeasureKind,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    MeasurementValidation,
)
from indicators.recording.constraints import condition_holds
from indicators.recording.guard import (
    WriteConflict,
    rows_validate,
    save_new,
    save_validated_with_history,
)
from indicators.recording.selectors import indicator_history
from indicators.recording.services import measurement_record
from tests import codes, factories

# The foreign keys measurement_record holds (locked or read) when it validates a row.
HELD = ("indicator", "period", "recorded_by", "updated_by", "measurement", "category")


def by_category(indicator, first=1):
    """{category id: Decimal} for every category of `indicator`: first, first + 1, …"""
    return {
        category.pk: Decimal(first + number)
        for number, category in enumerate(indicator.dimension.categories.all())
    }


@pytest.fixture
def wide_indicator(plan_2018_2023):
    """A count by 17 categories, as in bench/grid.py."""
    names = [f"Région {number}" for number in range(1, 18)]
    return factories.indicator(
        codes.result(1),
        kind=MeasureKind.COUNT_BY_CATEGORY,
        dimension=factories.dimension(categories=names),
    )


@pytest.fixture
def narrow_indicator(plan_2018_2023):
    """A count by 3 categories."""
    return factories.indicator(codes.result(1), kind=MeasureKind.COUNT_BY_CATEGORY)


def breakdown_history(measurement):
    return list(
        MeasurementBreakdown.history.filter(measurement_id=measurement.pk).order_by("history_id")
    )


# --- Queries: constant, whatever the number of categories ------------------------------------


# measurement_record's transaction (a savepoint in the test's: 2), 3 reads under the write
# guard (plan, period, saved value), the indicator's categories (the grid has them already),
# the previous period's value, the new measurement and its history (in a savepoint: 4), the
# categories and their history (2). The check constraints are evaluated without a query.
NEW_ROW_QUERIES = 13


@pytest.mark.parametrize("fixture", ["narrow_indicator", "wide_indicator"])
def test_a_new_count_by_category_takes_the_same_queries_for_3_or_17_categories(
    request, fixture, period, staff_user, django_assert_num_queries
):
    """Prevents one validation, save and history row per category (62 queries a row)."""
    indicator = request.getfixturevalue(fixture)
    breakdown = by_category(indicator)
    with django_assert_num_queries(NEW_ROW_QUERIES):
        measurement = measurement_record(
            indicator=indicator, period=period, user=staff_user, breakdown=breakdown, version=0
        )
    saved = dict(measurement.breakdowns.values_list("category_id", "value"))
    assert saved == breakdown
    assert measurement.value == sum(breakdown.values())


# A correction also reads the saved categories; its measurement is updated in place (no
# savepoint): 2 + 3 + 1 + 1 + 1 (categories saved) + 2 (update, history) + 2 (categories
# and their history).
CORRECTION_QUERIES = 12


@pytest.mark.parametrize("fixture", ["narrow_indicator", "wide_indicator"])
def test_a_correction_of_every_category_takes_the_same_queries_for_3_or_17_categories(
    request, fixture, period, staff_user, django_assert_num_queries
):
    indicator = request.getfixturevalue(fixture)
    first = measurement_record(
        indicator=indicator, period=period, user=staff_user, breakdown=by_category(indicator)
    )
    corrected = by_category(indicator, first=2)
    with django_assert_num_queries(CORRECTION_QUERIES):
        measurement_record(
            indicator=indicator,
            period=period,
            user=staff_user,
            breakdown=corrected,
            version=first.version,
            reason="Erreur de saisie",
        )
    assert dict(first.breakdowns.values_list("category_id", "value")) == corrected


# --- History: each category, with the person and the reason ----------------------------------


def test_each_new_category_has_its_history_row_with_the_person_and_no_reason(
    wide_indicator, period, staff_user
):
    measurement = measurement_record(
        indicator=wide_indicator,
        period=period,
        user=staff_user,
        breakdown=by_category(wide_indicator),
    )
    history = breakdown_history(measurement)
    assert len(history) == 17
    assert {record.history_type for record in history} == {"+"}
    assert {record.history_user for record in history} == {staff_user}
    assert {record.history_change_reason for record in history} == {None}
    measurement_history = measurement.history.get()
    assert all(record.history_date >= measurement_history.history_date for record in history)


def test_correcting_one_category_writes_history_for_that_category_only(
    wide_indicator, period, staff_user, other_staff
):
    breakdown = by_category(wide_indicator)
    first = measurement_record(
        indicator=wide_indicator, period=period, user=staff_user, breakdown=breakdown
    )
    changed = next(iter(breakdown))
    measurement_record(
        indicator=wide_indicator,
        period=period,
        user=other_staff,
        breakdown={**breakdown, changed: Decimal(40)},
        version=first.version,
        reason="Chiffre du rapport annuel",
    )
    corrections = [record for record in breakdown_history(first) if record.history_type == "~"]
    assert [(record.category_id, record.value) for record in corrections] == [
        (changed, Decimal(40))
    ]
    assert corrections[0].history_user == other_staff
    assert corrections[0].history_change_reason == "Chiffre du rapport annuel"
    assert MeasurementBreakdown.objects.get(measurement=first, category_id=changed).value == 40


def test_a_category_left_empty_is_deleted_with_its_history(tools_indicator, period, staff_user):
    breakdown = by_category(tools_indicator)
    first = measurement_record(
        indicator=tools_indicator, period=period, user=staff_user, breakdown=breakdown
    )
    removed, *kept = breakdown
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={category_id: breakdown[category_id] for category_id in kept},
        version=first.version,
        reason="Catégorie retirée",
    )
    assert set(first.breakdowns.values_list("category_id", flat=True)) == set(kept)
    deleted = [record for record in breakdown_history(first) if record.history_type == "-"]
    assert [(record.category_id, record.value) for record in deleted] == [
        (removed, breakdown[removed])
    ]
    assert deleted[0].history_user == staff_user
    assert deleted[0].history_change_reason == "Catégorie retirée"


def test_not_measured_deletes_every_category_with_its_history(wide_indicator, period, staff_user):
    first = measurement_record(
        indicator=wide_indicator,
        period=period,
        user=staff_user,
        breakdown=by_category(wide_indicator),
    )
    measurement_record(
        indicator=wide_indicator,
        period=period,
        user=staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Aucune activité cette année.",
        version=first.version,
        reason="Non mesuré finalement",
    )
    assert not MeasurementBreakdown.objects.filter(measurement=first).exists()
    deleted = [record for record in breakdown_history(first) if record.history_type == "-"]
    assert len(deleted) == 17
    assert {record.history_change_reason for record in deleted} == {"Non mesuré finalement"}


def test_the_indicator_history_shows_a_save_a_correction_a_category_change_and_not_measured(
    tools_indicator, categories, period, staff_user, other_staff
):
    a, b, c = categories[0], categories[1], categories[2]
    first = measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={a.pk: Decimal(2), b.pk: Decimal(3)},
    )
    second = measurement_record(
        indicator=tools_indicator,
        period=period,
        user=other_staff,
        breakdown={a.pk: Decimal(5), b.pk: Decimal(3)},
        version=first.version,
        reason="Correction de A",
    )
    third = measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={a.pk: Decimal(5), c.pk: Decimal(1)},
        version=second.version,
        reason="B devient C",
    )
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Données perdues.",
        version=third.version,
        reason="Non mesuré",
    )
    entries = indicator_history(tools_indicator)
    assert [(entry["version"], entry["who"], entry["reason"]) for entry in entries] == [
        (4, staff_user, "Non mesuré"),
        (3, staff_user, "B devient C"),
        (2, other_staff, "Correction de A"),
        (1, staff_user, ""),
    ]
    changes = {entry["version"]: entry["changes"] for entry in entries}
    assert (a.name, "2", "5") in changes[2]
    assert (b.name, "3", "—") in changes[3]
    assert (c.name, "—", "1") in changes[3]
    assert (a.name, "5", "—") in changes[4]
    assert (c.name, "1", "—") in changes[4]
    assert not [change for change in changes[2] if change[0] == b.name]


def test_the_admin_history_lists_every_version_with_its_reason(
    admin_client, tools_indicator, categories, period, staff_user
):
    a = categories[0]
    first = measurement_record(
        indicator=tools_indicator, period=period, user=staff_user, breakdown={a.pk: Decimal(2)}
    )
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={a.pk: Decimal(4)},
        version=first.version,
        reason="Chiffre vérifié",
    )
    response = admin_client.get(reverse("admin:indicators_measurement_history", args=[first.pk]))
    assert response.status_code == 200
    assert "Chiffre vérifié" in response.text
    assert first.history.count() == 2


# --- Refusals: what full_clean refused is still refused, nothing written ---------------------


def test_a_total_too_large_for_its_column_is_refused_and_nothing_is_written(
    tools_indicator, categories, period, staff_user
):
    """Each category fits 14 digits; their sum does not: the measurement's field refuses it."""
    huge = Decimal("99999999999999")
    with pytest.raises(ValidationError) as refused:
        measurement_record(
            indicator=tools_indicator,
            period=period,
            user=staff_user,
            breakdown={category.pk: huge for category in categories},
        )
    assert "14 chiffres" in refused.value.message_dict["value"][0]
    assert not Measurement.objects.exists()
    assert not MeasurementBreakdown.objects.exists()
    assert not MeasurementBreakdown.history.exists()


def made_measurement(indicator, period, user, **fields):
    """An unsaved measurement, as measurement_record builds it."""
    now = timezone.now()
    fields = {
        "recorded_by": user,
        "recorded_at": now,
        "updated_by": user,
        "updated_at": now,
        "value": Decimal(1),
        **fields,
    }
    return Measurement(indicator=indicator, period=period, **fields)


def full_clean_errors(row):
    with pytest.raises(ValidationError) as refused:
        row.full_clean(exclude=HELD)
    return refused.value.message_dict


VIOLATIONS = [
    {"value": Decimal(-1)},
    {"status": MeasurementStatus.NOT_MEASURED, "explanation": ""},
    {"status": "perdu"},
    {"validation_state": MeasurementValidation.VALIDATED},
    {"validation_state": MeasurementValidation.RETURNED, "return_comment": ""},
    {"narrative": "x" * 10_001},
]


@pytest.mark.parametrize(
    "fields",
    VIOLATIONS,
    ids=["negative", "not-measured-unexplained", "status", "who-when", "returned", "length"],
)
def test_the_guard_refuses_each_rule_of_a_measurement_as_full_clean_does(
    count_indicator, period, staff_user, fields
):
    row = made_measurement(count_indicator, period, staff_user, **fields)
    expected = full_clean_errors(row)
    with pytest.raises(ValidationError) as refused:
        rows_validate([row], held=HELD)
    assert refused.value.message_dict == expected


def test_the_not_measured_rule_keeps_its_french_message(count_indicator, period, staff_user):
    row = made_measurement(
        count_indicator, period, staff_user, status=MeasurementStatus.NOT_MEASURED, value=None
    )
    with pytest.raises(ValidationError) as refused:
        rows_validate([row], held=HELD)
    assert refused.value.message_dict == {
        "__all__": ["Expliquez pourquoi l’indicateur n’a pas été mesuré."]
    }


def test_a_negative_category_among_valid_ones_is_refused_as_full_clean_does(
    tools_indicator, categories, period, staff_user
):
    measurement = made_measurement(tools_indicator, period, staff_user)
    rows = [
        MeasurementBreakdown(category=category, value=Decimal(number))
        for number, category in zip([3, -2, 5], categories, strict=False)
    ]
    expected = full_clean_errors(rows[1])
    assert "__all__" in expected
    with pytest.raises(ValidationError) as refused:
        rows_validate([measurement, *rows], held=HELD)
    assert refused.value.message_dict == expected


def test_valid_rows_pass_without_a_query(
    tools_indicator, categories, period, staff_user, django_assert_num_queries
):
    measurement = made_measurement(tools_indicator, period, staff_user)
    rows = [MeasurementBreakdown(category=category, value=Decimal(2)) for category in categories]
    with django_assert_num_queries(0):
        rows_validate([measurement, *rows], held=HELD)


ROWS = [
    {},
    {"value": None},
    {"value": Decimal(0)},
    *VIOLATIONS,
    {"status": MeasurementStatus.NOT_MEASURED, "explanation": "Pas de données", "value": None},
    {
        "validation_state": MeasurementValidation.RETURNED,
        "return_comment": "À revoir",
        "validated_at": timezone.now(),
    },
]


@pytest.mark.parametrize("fields", ROWS)
def test_python_and_the_database_agree_on_each_constraint_of_a_measurement(
    count_indicator, period, staff_user, fields
):
    row = made_measurement(count_indicator, period, staff_user, **fields)
    if "validated_at" in fields:
        row.validated_by = staff_user
    for constraint in Measurement._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            constraint.validate(Measurement, row)
            database = True
        except ValidationError:
            database = False
        assert condition_holds(row, constraint.condition) is database, constraint.name


@pytest.mark.parametrize("number", [Decimal(-1), Decimal(0), Decimal("0.5"), Decimal(7)])
def test_python_and_the_database_agree_on_a_category_value(number, categories):
    row = MeasurementBreakdown(category=categories[0], value=number)
    (constraint,) = [
        c for c in MeasurementBreakdown._meta.constraints if isinstance(c, CheckConstraint)
    ]
    assert condition_holds(row, constraint.condition) is (number >= 0)


# --- Conflicts --------------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_and_writes_nothing(
    wide_indicator, period, staff_user, other_staff
):
    first = measurement_record(
        indicator=wide_indicator,
        period=period,
        user=staff_user,
        breakdown=by_category(wide_indicator),
    )
    with pytest.raises(WriteConflict) as conflict:
        measurement_record(
            indicator=wide_indicator,
            period=period,
            user=other_staff,
            breakdown=by_category(wide_indicator, first=7),
            version=0,
        )
    assert conflict.value.current.pk == first.pk
    assert dict(first.breakdowns.values_list("category_id", "value")) == by_category(wide_indicator)
    assert MeasurementBreakdown.history.filter(measurement_id=first.pk).count() == 17


def test_a_value_created_by_someone_else_meanwhile_is_a_conflict(
    count_indicator, period, staff_user, other_staff
):
    """The unique rule is the database's: the guard's save of a new row turns it into a
    WriteConflict with the other person's value."""
    other = measurement_record(
        indicator=count_indicator, period=period, user=other_staff, value=Decimal(4)
    )
    mine = made_measurement(count_indicator, period, staff_user, value=Decimal(5))
    rows_validate([mine], held=HELD)
    with pytest.raises(WriteConflict) as conflict:
        save_new(
            lambda: save_validated_with_history(mine, user=staff_user, reason=""),
            find_current=Measurement.objects.filter(indicator=count_indicator, period=period).first,
        )
    assert conflict.value.current == other
    assert Measurement.objects.get().value == 4
