"""Work that waits until the response has gone: Django sends `request_finished` when the server
closes the response, after its last byte went to the client.

The password reset hands its e-mail to the mail server here, so the page answers as fast for
an address that has an account as for one that has none (no timing signal), and a slow mail
server holds no one's page. Outside a request (a command, a shell), the work runs at once.
"""

import logging
import threading

logger = logging.getLogger(__name__)
_request = threading.local()


def after_response(callback) -> None:
    """Run `callback()` once this thread's response is closed; at once outside a request."""
    waiting = getattr(_request, "waiting", None)
    if waiting is None:
        callback()
    else:
        waiting.append(callback)


def request_opened(**kwargs) -> None:
    """Receiver of `request_started`: this thread now serves a request."""
    _request.waiting = []


def request_closed(**kwargs) -> None:
    """Receiver of `request_finished`: run what waited for the response, then forget it."""
    waiting, _request.waiting = getattr(_request, "waiting", None) or [], None
    for callback in waiting:
        try:
            callback()
        except Exception:  # the response is gone: log, never raise into the server
            logger.exception("Work after the response failed.")
