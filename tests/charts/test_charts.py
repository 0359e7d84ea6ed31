"""Server-drawn SVG charts: accessible, escaped, no inline style, numbers in a table."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils import translation

from indicators.charts.indicator import build_indicator_chart, draw
from indicators.charts.sparkline import compact_sparkline
from indicators.models import Category
from indicators.rules.chart_spec import ChartSpec, Drawer
from indicators.rules.formatting import format_number, format_percent
from tests import codes, factories


def period(pk, year):
    return SimpleNamespace(
        pk=pk,
        name=f"{year}-{year + 1}",
        start_date=datetime.date(year, 4, 1),
        end_date=datetime.date(year + 1, 3, 31),
    )


def assert_accessible(svg):
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert "<title>" in svg
    assert "<desc>" in svg
    assert " style=" not in svg
    assert "<script" not in svg


def test_french_numbers():
    with translation.override("fr-ca"):
        assert format_number(Decimal("1234.5")) == "1\xa0234,5"
        assert format_number(Decimal("12.50")) == "12,5"
        assert format_number(Decimal("1234567")) == "1\xa0234\xa0567"
        assert format_number(Decimal("0.25")) == "0,25"
        assert format_number(None) == "—"
        assert format_percent(Decimal("12.46")) == "12,5\xa0%"


def test_sparkline_draws_values_and_targets_and_says_them_in_its_name():
    with translation.override("fr-ca"):
        svg = compact_sparkline(
            [("2018-2019", Decimal(5), Decimal(10)), ("2019-2020", None, Decimal(20))]
        )
    assert svg.startswith('<svg class="sparkline" role="img" ')
    assert (
        'aria-label="Tendance : 2018-2019 : 5 (cible 10) ; 2019-2020 : aucune valeur (cible 20)"'
        in svg
    )
    assert '<path class="t" d="M' in svg
    assert "<circle" in svg
    assert " style=" not in svg


def test_sparkline_without_any_value_still_draws_an_accessible_chart():
    svg = compact_sparkline([("2018-2019", None, None)])
    assert 'role="img"' in svg
    assert '<path class="v" d="M0 0"/>' in svg
    assert "<circle" not in svg


def test_every_text_is_escaped():
    svg = compact_sparkline([('<b>P</b> "x"', Decimal(1), None)])
    assert "<b>" not in svg
    assert "&lt;b&gt;P&lt;/b&gt; &quot;x&quot;" in svg
    chart = build_indicator_chart(
        SimpleNamespace(wording='<script>alert("x")</script>', kind="count", baseline_value=None),
        periods=[period(1, 2018)],
        measurements={},
        targets={},
    )
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg


def test_a_chart_is_drawn_from_its_plain_description():
    with translation.override("fr-ca"):
        chart = draw(
            ChartSpec(
                drawer=Drawer.STACKED_BARS,
                title="Organisations",
                points=[("2018-2019", Decimal(5), Decimal(4)), ("2019-2020", None, None)],
                categories=[("a", "Estrie"), ("b", "Laval")],
                stacks=[{"a": Decimal(2), "b": Decimal(3)}, None],
            )
        )
    assert_accessible(chart.svg)
    assert "<desc>2018-2019 : 5 (cible 4) ; 2019-2020 : aucune valeur</desc>" in chart.svg
    assert "<title>2018-2019 – Laval : 3</title>" in chart.svg
    assert chart.table.headers == ["Période", "Estrie", "Laval", "Total", "Cible"]
    assert chart.table.rows == [
        ["2018-2019", "2", "3", "5", "4"],
        ["2019-2020", "—", "—", "—", "—"],
    ]


def test_line_chart_has_a_target_line_and_a_table(db):
    indicator = SimpleNamespace(
        wording="Nombre d'outils", kind="count", baseline_value=Decimal(2), dimension_id=None
    )
    periods = [period(1, 2018), period(2, 2019)]
    measurements = {1: SimpleNamespace(pk=10, value=Decimal(4))}
    with translation.override("fr-ca"):
        chart = build_indicator_chart(
            indicator, periods=periods, measurements=measurements, targets={1: 5, 2: 8}
        )
    assert_accessible(chart.svg)
    assert "Nombre d&#x27;outils" in chart.svg
    assert 'stroke-dasharray="6 4"' in chart.svg  # the target line
    assert "chart-baseline" in chart.svg
    assert chart.table.headers == ["Période", "Valeur", "Cible"]
    assert chart.table.rows == [["2018-2019", "4", "5"], ["2019-2020", "—", "8"]]


def test_level_chart_shows_the_level_labels(db):
    indicator = SimpleNamespace(wording="Niveau", kind="level", baseline_value=None)
    levels = [(1, "Découverte"), (2, "Compréhension"), (3, "Expérimentation")]
    chart = build_indicator_chart(
        indicator,
        periods=[period(1, 2018)],
        measurements={1: SimpleNamespace(pk=1, value=Decimal(2))},
        targets={1: Decimal(3)},
        levels=levels,
    )
    assert_accessible(chart.svg)
    for value, label in levels:
        assert f"{value} – {label}" in chart.svg
    assert chart.table.rows == [["2018-2019", "2 – Compréhension", "3 – Expérimentation"]]


def test_count_by_category_is_drawn_as_stacked_bars_with_a_table_per_category(
    plan_2018_2023, staff_user, staff_client
):
    indicator = codes.indicator("2.1")
    regions = list(Category.objects.filter(dimension=indicator.dimension))
    assert len(regions) == 17
    first = codes.period("2018-2019")
    factories.target(indicator, first, 30)
    factories.measurement(indicator, first, staff_user, breakdown={regions[0]: 10, regions[5]: 15})
    response = staff_client.get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    chart = response.context["chart"]
    assert_accessible(chart.svg)
    assert len(re.findall(r"<rect [^>]*><title>", chart.svg)) == 2
    assert "Bas-Saint-Laurent : 10" in chart.svg
    assert chart.table.headers[0] == "Période"
    assert chart.table.headers[1:18] == [r.name for r in regions]
    assert chart.table.headers[-2:] == ["Total", "Cible"]
    assert chart.table.rows[0][1] == "10"
    assert chart.table.rows[0][6] == "15"
    assert chart.table.rows[0][-2:] == ["25", "30"]


def test_the_indicator_page_shows_its_chart_with_the_scale(plan_2018_2023, board_client):
    indicator = codes.indicator("1.3")
    factories.target(indicator, codes.period("2018-2019"), 3)  # something to draw
    html = board_client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).text
    assert 'role="img"' in html
    assert "<table" in html
    assert "Découverte" in html  # a level indicator shows its scale
    assert "2018-2019" in html
