"""When a meeting pack is frozen, board members who opted in get one e-mail about it.

A receiver of `signals.pack_frozen` (connected in apps.py): the e-mail carries the pack's
status counts and points to watch with their stories, worded in the site's language, and a
link to the pack; indicators/notifications/mail.py sends it once per person, records it and
retries a failure, under the prefix of every e-mail of the app
(« [Suivi TIESS] »).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from indicators.board.models import MeetingPack
from indicators.board.snapshot import for_display
from indicators.notifications.mail import board_digest_send


def digest_lines(content):
    """(summary lines, attention lines) of a pack's frozen content, in the active language."""
    summary = for_display(content)["summary"]
    counts = [f"{label} : {count}" for _status, label, count in summary["rollup"] if count]
    attention = []
    for row in summary["attention"]:
        line = f"{row['status_label']} – {row['wording']}"
        if row["story_short"]:
            line += f" ({row['story_short']})"
        attention.append(line)
    hidden = summary["attention_total"] - len(summary["attention"])
    if hidden > 0:
        attention.append(_("… and %(count)s more in the pack.") % {"count": hidden})
    return counts, attention


def pack_digest_send(sender, *, pack, path, **kwargs):
    """Queue the digest of a frozen pack (receiver of pack_frozen): the worker composes and
    sends it, so that freezing a pack waits on no mail server."""
    pack_digest_mail.enqueue(pack_id=pack.pk, path=path)


@task(priority=10)
def pack_digest_mail(*, pack_id: int, path: str) -> None:
    """Compose the digest of pack `pack_id` and queue one message per member who opted in."""
    pack = MeetingPack.objects.select_related("meeting").get(pk=pack_id)
    meeting = pack.meeting
    # The same lines for every recipient (board_digest_send composes once): the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        summary_lines, attention_lines = digest_lines(pack.content)
    board_digest_send(
        reference=f"pack-{pack.pk}",
        meeting_title=meeting.title,
        meeting_date=meeting.date,
        summary_lines=summary_lines,
        attention_lines=attention_lines,
        url=path,
    )
