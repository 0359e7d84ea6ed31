"""Each kind's rules at their boundaries: cleaning, targets, display, form, chart, cells."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.charts.indicator import build_indicator_chart
from indicators.models import MeasureKind
from indicators.recording.forms import MeasurementForm
from indicators.recording.services import measurement_clean_values
from indicators.rules import kinds
from indicators.targets.services import target_value_problem
from tests.small_plan import make_indicator, make_period, make_result

COUNT_NEGATIVE = "Un nombre ne peut pas être négatif."
COUNT_DECIMALS = "Un nombre doit être entier (sans décimales)."
PERCENT_RANGE = "Un pourcentage doit être compris entre 0 et 100."
AMOUNT_NEGATIVE = "Un montant ne peut pas être négatif."
LEVEL_SCALE = "Choisissez un niveau de l’échelle (de 1 à 5)."


@pytest.fixture
def result(db):
    return make_result()


def clean(indicator, **kwargs):
    kwargs.setdefault("status", "recorded")
    return measurement_clean_values(indicator=indicator, **kwargs)


def errors(indicator, **kwargs):
    with pytest.raises(ValidationError) as raised:
        clean(indicator, **kwargs)
    return raised.value.message_dict


def test_every_measure_kind_has_its_class_and_the_indicator_asks_it(result):
    assert set(kinds.KINDS) == set(MeasureKind.values)
    for order, key in enumerate(MeasureKind.values, start=1):
        indicator = make_indicator(result, key, order=order, categories=("A",))
        assert indicator.kind_spec is kinds.KINDS[key]
        assert indicator.kind_spec.key == key
        assert str(indicator.kind_spec) == str(MeasureKind(key).label)
    assert [k for k, kind in kinds.KINDS.items() if kind.is_qualitative] == ["qualitative"]
    assert [k for k, kind in kinds.KINDS.items() if kind.has_levels] == ["level"]
    assert [k for k, kind in kinds.KINDS.items() if kind.has_categories] == ["count_by_category"]
    assert [k for k, kind in kinds.KINDS.items() if not kind.is_assessed] == ["qualitative"]


# --- Count -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0", None),
        ("3", None),
        ("3.00", None),
        ("-1", COUNT_NEGATIVE),
        ("-0.5", COUNT_NEGATIVE),
        ("2.5", COUNT_DECIMALS),
        ("0.01", COUNT_DECIMALS),
    ],
)
def test_count_is_a_whole_number_not_below_zero(result, typed, problem):
    indicator = make_indicator(result, "count")
    assert target_value_problem(indicator=indicator, value=Decimal(typed)) == problem
    if problem is None:
        assert clean(indicator, value=typed) == (Decimal(typed), {})
    else:
        assert errors(indicator, value=typed) == {"value": [problem]}


def test_a_recorded_number_cannot_be_left_empty(result):
    indicator = make_indicator(result, "count")
    assert errors(indicator, value="") == {"value": ["Saisissez une valeur."]}


# --- Percentage ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0", None),
        ("12.5", None),
        ("100", None),
        ("100.00", None),
        ("100.01", PERCENT_RANGE),
        ("-0.01", PERCENT_RANGE),
    ],
)
def test_percentage_lies_between_0_and_100_inclusive(result, typed, problem):
    indicator = make_indicator(result, "percentage")
    assert target_value_problem(indicator=indicator, value=Decimal(typed)) == problem
    if problem is None:
        assert clean(indicator, value=typed)[0] == Decimal(typed)
    else:
        assert errors(indicator, value=typed) == {"value": [problem]}


# --- Amount ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("0", None), ("1234.56", None), ("-0.01", AMOUNT_NEGATIVE)],
)
def test_amount_is_not_negative_and_may_have_cents(result, typed, problem):
    indicator = make_indicator(result, "amount")
    assert target_value_problem(indicator=indicator, value=Decimal(typed)) == problem
    if problem is None:
        assert clean(indicator, value=typed)[0] == Decimal(typed)
    else:
        assert errors(indicator, value=typed) == {"value": [problem]}


# --- Level -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("1", None), ("5", None), ("0", LEVEL_SCALE), ("6", LEVEL_SCALE), ("2.5", LEVEL_SCALE)],
)
def test_level_is_one_of_the_scale_from_its_minimum_to_its_maximum(result, typed, problem):
    indicator = make_indicator(result, "level", levels=5)
    assert target_value_problem(indicator=indicator, value=Decimal(typed)) == problem
    if problem is None:
        assert clean(indicator, value=typed)[0] == Decimal(typed)
    else:
        assert errors(indicator, value=typed) == {"value": [problem]}


def test_level_without_a_scale_is_refused_but_its_target_waits_for_the_scale(result):
    indicator = make_indicator(result, "level")
    assert "pas encore d’échelle" in errors(indicator, value="3")["value"][0]
    assert target_value_problem(indicator=indicator, value=Decimal(3)) is None
    # The admin checks targets against levels that are not saved yet.
    assert target_value_problem(indicator=indicator, value=Decimal(3), levels=[1, 2]) == (
        "Choisissez un niveau de l’échelle (de 1 à 2)."
    )


def test_level_must_be_chosen(result):
    indicator = make_indicator(result, "level", levels=5)
    assert errors(indicator, value=None) == {"value": ["Choisissez un niveau."]}


# --- Count by category -----------------------------------------------------------------------


def test_count_by_category_derives_its_total_from_the_categories(result):
    indicator = make_indicator(result, "count_by_category", categories=("A", "B", "C"))
    a, b, _c = indicator.dimension.categories.all()
    value, breakdown = clean(indicator, value="999", breakdown={a.pk: "3", b.pk: "0"})
    assert value == 3
    assert breakdown == {a.pk: 3, b.pk: 0}


def test_count_by_category_reports_every_wrong_category_at_once(result):
    indicator = make_indicator(result, "count_by_category", categories=("A", "B", "C"))
    a, b, c = indicator.dimension.categories.all()
    found = errors(indicator, breakdown={a.pk: "-1", b.pk: "1.5", c.pk: "2", 99999: "1"})
    # Keyed by meaning: each wrong category is named in its message.
    assert found == {
        "breakdown": [
            f"A\xa0: {COUNT_NEGATIVE}",
            f"B\xa0: {COUNT_DECIMALS}",
            "Catégorie inconnue pour cet indicateur.",
        ]
    }
    assert errors(indicator, breakdown={}) == {
        "breakdown": ["Saisissez le nombre d’au moins une catégorie."]
    }
    assert target_value_problem(indicator=indicator, value=Decimal("-1")) == COUNT_NEGATIVE
    assert target_value_problem(indicator=indicator, value=Decimal("1.5")) == COUNT_DECIMALS


# --- Qualitative -----------------------------------------------------------------------------


def test_qualitative_needs_a_narrative_and_has_no_numeric_target(result):
    indicator = make_indicator(result, "qualitative")
    assert errors(indicator, narrative="  ") == {"narrative": ["Décrivez ce qui a été observé."]}
    assert clean(indicator, value="12", narrative="Des liens se créent.") == (None, {})
    assert target_value_problem(indicator=indicator, value=Decimal(0)) == (
        "Un indicateur qualitatif n’a pas de cible ni de valeur de départ numérique."
    )


def test_not_measured_needs_an_explanation_whatever_the_kind(result):
    for order, key in enumerate(MeasureKind.values, start=1):
        indicator = make_indicator(result, key, order=order, categories=("A",))
        assert errors(indicator, status="not_measured") == {
            "explanation": ["Expliquez pourquoi l’indicateur n’a pas été mesuré."]
        }
        assert clean(indicator, status="not_measured", explanation="Pas de sondage") == (None, {})


# --- Display ---------------------------------------------------------------------------------


def test_each_kind_shows_its_values_in_french_and_in_english(result):
    count = make_indicator(result, "count", order=1, unit="outils")
    percentage = make_indicator(result, "percentage", order=2, unit="%")
    amount = make_indicator(result, "amount", order=3, unit="$")
    level = make_indicator(result, "level", order=4, levels=5)
    with translation.override("fr-ca"):
        assert count.kind_spec.value_text(count, Decimal("1234.50")) == "1\xa0234,5\xa0outils"
        assert percentage.kind_spec.value_text(percentage, Decimal("12.50")) == "12,5\xa0%"
        assert amount.kind_spec.value_text(amount, Decimal("1234.5")) == "1\xa0234,50\xa0$"
        assert level.kind_spec.value_text(level, Decimal(3)) == "3 – Expérimentation"
        assert level.kind_spec.value_text(level, Decimal(9)) == "9"
        assert count.kind_spec.value_text(count, None) == "—"
    with translation.override("en"):
        assert count.kind_spec.value_text(count, Decimal("1234.50")) == "1,234.5\xa0outils"
        assert percentage.kind_spec.value_text(percentage, Decimal("12.50")) == "12.5%"
        assert amount.kind_spec.value_text(amount, Decimal("1234.5")) == "$1,234.50"
        assert level.kind_spec.value_text(level, Decimal(3)) == "3 – Expérimentation"


# --- Form, chart and export cells ------------------------------------------------------------


def test_each_kind_gives_the_form_its_own_fields(result):
    period = make_period(result.orientation.plan)
    fields = {}
    for order, key in enumerate(MeasureKind.values, start=1):
        indicator = make_indicator(result, key, order=order, levels=3, categories=("A", "B"))
        form = MeasurementForm(indicator=indicator, period=period)
        fields[key] = [f.name for f in form.value_fields()] + [
            f.name.split("_")[0] for f in form.breakdown_fields()
        ]
        if key == "level":
            assert [label for _value, label in form.fields["level"].choices][1:] == [
                "1 – Découverte",
                "2 – Compréhension",
                "3 – Expérimentation",
            ]
        if key == "qualitative":
            assert form.fields["narrative"].label == "Récit (ce qui a été observé)"
    assert fields == {
        "count": ["value"],
        "count_by_category": ["cat", "cat"],
        "level": ["level"],
        "percentage": ["value"],
        "amount": ["value"],
        "qualitative": [],
    }


def test_each_kind_chooses_its_chart(result):
    period = make_period(result.orientation.plan)
    drawn = {}
    for order, key in enumerate(MeasureKind.values, start=1):
        indicator = make_indicator(result, key, order=order, levels=3, categories=("A", "B"))
        chart = build_indicator_chart(
            indicator,
            periods=[period],
            measurements={},
            targets={},
            levels=indicator.kind_spec.levels_of(indicator),
            categories=list(indicator.dimension.categories.all()),
        )
        drawn[key] = chart.table.headers
    assert drawn["count_by_category"] == ["Période", "A", "B", "Total", "Cible"]
    assert drawn["level"] == drawn["count"] == ["Période", "Valeur", "Cible"]


def test_level_and_breakdown_cells_of_the_export(result, staff_user):
    from indicators.recording.services import measurement_record

    period = make_period(result.orientation.plan)
    level = make_indicator(result, "level", order=1, levels=5)
    tools = make_indicator(result, "count_by_category", order=2, categories=("A", "B"))
    a, b = tools.dimension.categories.all()
    measured_level = measurement_record(
        indicator=level, period=period, user=staff_user, value=4, version=0
    )
    measured_tools = measurement_record(
        indicator=tools, period=period, user=staff_user, breakdown={a.pk: 2, b.pk: 5}, version=0
    )
    assert level.kind_spec.export_cells(level, measured_level) == [
        {"value": Decimal(4), "level_label": "Intégration"}
    ]
    assert tools.kind_spec.export_cells(tools, measured_tools) == [
        {"value": Decimal(7), "category": "A", "category_value": Decimal(2)},
        {"value": Decimal(7), "category": "B", "category_value": Decimal(5)},
    ]
