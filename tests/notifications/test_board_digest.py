"""The board digest: one e-mail per board member who opted in, once per meeting pack."""

import datetime

import pytest

from indicators.models import EmailKind, EmailStatus, OutgoingEmail
from indicators.notifications.mail import board_digest_send
from plan.roles import BOARD_GROUP
from tests.notifications.conftest import set_profile
from tests.smtp_server import html_of, subject_of, text_of

SUMMARY = ["12 indicateurs sur 19 sont en bonne voie.", "Deux nouvelles valeurs depuis mars."]
ATTENTION = ["Résultat 3 : aucune valeur pour 2022-2023.", "Budget <b>serré</b> & à suivre"]


def send(reference="dossier-2023-06"):
    return board_digest_send(
        reference=reference,
        meeting_title="Conseil de juin",
        meeting_date=datetime.date(2023, 6, 1),
        summary_lines=SUMMARY,
        attention_lines=ATTENTION,
        url="/conseil/dossiers/7/",
    )


@pytest.fixture
def board(board_user, make_member, staff_user):
    """André (board, opted in), Sophie (board, not opted in), Marie (staff, flag set)."""
    board_user.email = "andre@tiess.test"
    board_user.save()
    set_profile(board_user, board_digest_opt_in=True)
    sophie = make_member("sophie", BOARD_GROUP, password="x", email="sophie@tiess.test")
    set_profile(sophie, board_digest_opt_in=False)
    staff_user.email = "marie@tiess.test"
    staff_user.save()
    set_profile(staff_user, board_digest_opt_in=True)
    return {"andre": board_user, "sophie": sophie}


def test_digest_reaches_opted_in_board_members_only(board, smtp_server):
    report = send()
    assert [m["To"] for m in smtp_server.messages] == ["andre@tiess.test"]
    assert (report.delivered, report.failed, report.skipped) == (1, 0, 0)
    sent = OutgoingEmail.objects.get()
    assert (sent.recipient, sent.kind, sent.reference, sent.status) == (
        board["andre"],
        EmailKind.BOARD_DIGEST,
        "dossier-2023-06",
        EmailStatus.DELIVERED,
    )


def test_digest_content_plain_text_html_link_and_footer(board, smtp_server):
    send()
    (message,) = smtp_server.messages
    # The prefix of every e-mail of the app; « 1er » on the first of a month.
    assert subject_of(message) == (
        "[Suivi TIESS] Dossier de la rencontre : Conseil de juin, 1er juin 2023"
    )
    assert message["List-Unsubscribe"] == "<https://suivi.tiess.test/compte/rappels/>"
    text = text_of(message)
    assert text.startswith("Bonjour André Gagnon,")
    for line in SUMMARY + ATTENTION:
        assert f"- {line}" in text
    assert "https://suivi.tiess.test/conseil/dossiers/7/" in text
    assert "parce que vous avez demandé le condensé du conseil" in text
    html = html_of(message)
    assert "<li>Budget &lt;b&gt;serré&lt;/b&gt; &amp; à suivre</li>" in html
    assert '<a href="https://suivi.tiess.test/conseil/dossiers/7/">' in html
    assert "<img" not in html


def test_digest_is_sent_once_per_pack_and_in_english_on_request(board, smtp_server):
    send()
    assert send().skipped == 1
    assert len(smtp_server.messages) == 1
    set_profile(board["andre"], board_digest_opt_in=True, language="en")
    send(reference="dossier-2023-09")
    assert len(smtp_server.messages) == 2
    assert text_of(smtp_server.messages[1]).startswith("Hello André Gagnon,")
    assert subject_of(smtp_server.messages[1]) == (
        "[TIESS tracker] Meeting pack: Conseil de juin, June 1, 2023"
    )
    assert "Points to watch" in text_of(smtp_server.messages[1])


def test_a_refused_digest_is_retried_with_the_same_reference(board, smtp_server):
    smtp_server.refused.add("andre@tiess.test")
    assert send().failed == 1
    smtp_server.refused.clear()
    assert send().delivered == 1
    assert send().skipped == 1
    sent = OutgoingEmail.objects.get()
    assert (sent.status, sent.attempts) == (EmailStatus.DELIVERED, 2)
