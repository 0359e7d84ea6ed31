import pytest

from indicators.models import MeasureKind
from tests import codes, factories


@pytest.fixture
def tools_indicator(plan_2018_2023):
    """Indicator 1.2, “Nombre et types d'outils accessibles”: a count by category (Type d'outil)."""
    return codes.indicator("1.2")


@pytest.fixture
def level_indicator(plan_2018_2023):
    """Indicator 1.3, “Niveau d'appropriation des outils”: a level on a 1-5 rubric."""
    return codes.indicator("1.3")


@pytest.fixture
def qualitative_indicator(plan_2018_2023):
    """Indicator 6.3, “Perception du rôle du TIESS”: a narrative."""
    return codes.indicator("6.3")


@pytest.fixture
def categories(tools_indicator):
    return list(tools_indicator.dimension.categories.all())


@pytest.fixture
def count_indicator(plan_2018_2023):
    return factories.indicator(
        codes.result(1), kind=MeasureKind.COUNT, order=20, wording="Nombre de formations données"
    )


@pytest.fixture
def percentage_indicator(plan_2018_2023):
    return factories.indicator(
        codes.result(1), kind=MeasureKind.PERCENTAGE, order=21, wording="Taux de satisfaction"
    )


@pytest.fixture
def amount_indicator(plan_2018_2023):
    return factories.indicator(
        codes.result(1), kind=MeasureKind.AMOUNT, order=22, wording="Revenus autonomes"
    )
