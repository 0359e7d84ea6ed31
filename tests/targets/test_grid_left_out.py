"""The targets grid says which indicators it leaves out, and why."""

from indicators.models import Indicator
from tests import codes


def test_the_grid_names_the_qualitative_indicators_it_leaves_out(admin_client, plan_2018_2023):
    qualitative = [
        indicator
        for indicator in Indicator.objects.of_plan(plan_2018_2023)
        if indicator.is_qualitative
    ]
    assert codes.indicator("6.3") in qualitative

    response = admin_client.get("/cibles/")

    left_out = response.text.split('id="left-out"')[1].split("</div>")[0]
    assert "qualitatif" in left_out
    assert "pas de cible chiffrée" in left_out
    for indicator in qualitative:
        assert f"{indicator.code} – {indicator.wording}" in left_out
        assert indicator.get_absolute_url() in left_out
    shown = {row.indicator for row in response.context["grid"].rows}
    assert shown.isdisjoint(qualitative)
