"""Middleware of the project: a clean 503 page while the database is unavailable, and no
copy of a private response in any cache."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger("tiess.database")

# Errors that mean "the database server is unreachable or restarting", not a bug in a view.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response():
    """The French 503 page with Retry-After, rendered without touching the database."""
    # Rendered without a request: the context processors (which read the user from the
    # database) are skipped.
    html = loader.get_template("503.html").render(
        {"retry_after": settings.DATABASE_RETRY_AFTER, "title": _("Service unavailable")}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer a lost database connection during a view with a 503 page instead of a 500.

    The traceback goes to the log; the broken connection is discarded at the end of the
    request and the next request reconnects by itself (`CONN_HEALTH_CHECKS`). Errors raised
    outside views reach `tiess.views.server_error`, which answers 503 for them as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return None
        logger.error("Database unavailable: %s %s", request.method, request.path, exc_info=True)
        return database_unavailable_response()


class PrivateNoStoreMiddleware:
    """Send `Cache-Control: no-store, private` on every response to a logged-in person.

    Pages, exports and evidence downloads show private data: neither the browser (back
    button, disk cache of a shared computer) nor a proxy may keep a copy. Anonymous
    responses (login page, static files, health check) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            private = request.user.is_authenticated
        except AttributeError:
            private = False  # answered before the authentication middleware
        except DATABASE_UNAVAILABLE_ERRORS:
            private = True  # cannot tell: be safe
        if private:
            add_never_cache_headers(response)
        return response
