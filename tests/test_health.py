def test_healthz_answers_without_login_after_checking_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405
