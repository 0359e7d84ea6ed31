import pytest

from indicators.models import Indicator, ReportingPeriod


@pytest.fixture
def tools_indicator(plan_2018_2023):
    """“Nombre et types d'outils accessibles”: a count by category (Type d'outil)."""
    return Indicator.objects.get(wording__startswith="Nombre et types d'outils")


@pytest.fixture
def level_indicator(plan_2018_2023):
    """“Niveau d'appropriation des outils”: a level on a 1-5 rubric."""
    return Indicator.objects.get(wording__startswith="Niveau d'appropriation")


@pytest.fixture
def qualitative_indicator(plan_2018_2023):
    return Indicator.objects.get(wording__startswith="Perception du rôle")


@pytest.fixture
def period(plan_2018_2023):
    return ReportingPeriod.objects.get(plan=plan_2018_2023, name="2019-2020")


@pytest.fixture
def categories(tools_indicator):
    return list(tools_indicator.dimension.categories.all())


def _new_indicator(plan, kind, order, wording):
    result = plan.orientations.get(number=1).results.order_by("number").first()
    return Indicator.objects.create(
        result=result, order=order, wording=wording, kind=kind, unit="", kind_is_proposal=False
    )


@pytest.fixture
def count_indicator(plan_2018_2023):
    return _new_indicator(plan_2018_2023, "count", 20, "Nombre de formations données")


@pytest.fixture
def percentage_indicator(plan_2018_2023):
    return _new_indicator(plan_2018_2023, "percentage", 21, "Taux de satisfaction")


@pytest.fixture
def amount_indicator(plan_2018_2023):
    return _new_indicator(plan_2018_2023, "amount", 22, "Revenus autonomes")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
