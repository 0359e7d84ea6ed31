"""Signals of the board app: hooks for other features, with no business logic here.

`pack_frozen` is sent once a meeting pack is frozen and its transaction committed (never for
a freeze that rolled back), with the keyword arguments:

- `pack`: the saved MeetingPack (`pack.meeting`, `pack.content`: see
  indicators/board/snapshot.py; `pack.content["summary"]` holds the status counts, the
  attention points with their stories and the highlights, as data: `snapshot.for_display`
  words it);
- `path`: the pack page's path (`pack.get_absolute_url()`), to build a link.

Receivers are connected in an AppConfig.ready(), as the board's e-mail digest is (apps.py):

    from indicators.board.signals import pack_frozen
    pack_frozen.connect(pack_digest_send, dispatch_uid="board_digest")
"""

from django.dispatch import Signal

pack_frozen = Signal()
