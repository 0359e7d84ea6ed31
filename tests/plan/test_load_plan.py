"""`manage.py load_plan`: loads a plan's fixture once, then keeps the administrators' edits."""

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Indicator
from plan.models import StrategicPlan
from tests import codes


def test_load_plan_loads_once_and_keeps_admin_edits(no_plan, capsys):
    call_command("load_plan")
    result = codes.result(1)
    result.statement = "Énoncé corrigé par l'administration."
    result.save()
    call_command("load_plan")
    assert StrategicPlan.objects.count() == 1
    assert Indicator.objects.count() == 19
    result.refresh_from_db()
    assert result.statement == "Énoncé corrigé par l'administration."
    assert "Déjà chargé : Plan stratégique 2018-2023." in capsys.readouterr().out


def test_load_plan_takes_a_fixture_name_and_refuses_an_unknown_one(no_plan):
    call_command("load_plan", "plan_2018_2023.json")
    assert StrategicPlan.objects.get().title == "Plan stratégique 2018-2023"
    with pytest.raises(CommandError, match="Aucun fichier de données nommé « plan_1999 »"):
        call_command("load_plan", "plan_1999")
