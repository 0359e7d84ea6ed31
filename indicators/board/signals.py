"""Signals of the board app: hooks for other features, with no business logic here.

`pack_frozen` is sent once a meeting pack is frozen and its transaction committed (never for
a freeze that rolled back), with the keyword arguments:

- `pack`: the saved MeetingPack (`pack.meeting`, `pack.content`: see
  indicators/board/snapshot.py; `pack.content["summary"]` holds the status counts, the
  attention points with their stories and the highlights, already worded in French);
- `path`: the pack page's path (`pack.get_absolute_url()`), to build a link.

Connect a receiver in an AppConfig.ready(), for example the board's e-mail digest:

    from indicators.board.signals import pack_frozen
    pack_frozen.connect(send_board_digest, dispatch_uid="board_digest")
"""

from django.dispatch import Signal

pack_frozen = Signal()
