"""`current_plan_required`: without a current plan, every page explains it (200, not a 404)."""

import pytest


@pytest.mark.parametrize("path", ["/", "/plan/", "/rapport/"])
def test_pages_without_a_current_plan_explain_it(board_client, no_current_plan, path):
    response = board_client.get(path)
    assert response.status_code == 200
    assert "Aucun plan courant" in response.content.decode()


def test_to_record_page_without_a_current_plan_explains_it(staff_client, no_current_plan):
    response = staff_client.get("/saisie/")
    assert response.status_code == 200
    assert "Aucun plan courant" in response.content.decode()
