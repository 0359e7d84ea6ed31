"""Work after the response (the password reset's e-mail): it waits for `request_finished`."""

import logging

from django.core.signals import request_finished, request_started

from indicators.notifications.after_response import after_response


def test_outside_a_request_the_work_runs_at_once():
    done = []
    after_response(lambda: done.append("sent"))
    assert done == ["sent"]


def test_inside_a_request_the_work_waits_for_the_response_to_close(db):
    done = []
    request_started.send(sender=None)
    after_response(lambda: done.append("first"))
    after_response(lambda: done.append("second"))
    assert done == []
    request_finished.send(sender=None)
    assert done == ["first", "second"]
    request_finished.send(sender=None)  # once only
    assert done == ["first", "second"]


def test_a_failing_work_is_logged_and_the_next_one_still_runs(db, caplog):
    done = []
    request_started.send(sender=None)
    after_response(lambda: 1 / 0)
    after_response(lambda: done.append("sent"))
    with caplog.at_level(logging.ERROR):
        request_finished.send(sender=None)
    assert done == ["sent"]
    assert "Work after the response failed." in caplog.text


def test_the_reset_email_is_delivered_once_the_page_has_answered(client, staff_user, smtp_server):
    staff_user.email = "marie@tiess.test"
    staff_user.save()
    response = client.post("/accounts/password_reset/", {"email": "marie@tiess.test"})
    assert response.status_code == 302
    # The test client closes the response (request_finished), as the server does.
    assert len(smtp_server.received_by("marie@tiess.test")) == 1
