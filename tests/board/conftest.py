import pytest

from tests.board.data import make_board_data


@pytest.fixture
def board_data(plan_2018_2023, staff_user):
    return make_board_data(plan_2018_2023, staff_user)
