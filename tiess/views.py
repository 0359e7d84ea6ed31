import sys

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from tiess.middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response


@require_safe
@never_cache
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise; no login, for probes."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@requires_csrf_token
def server_error(request):
    """500 page, standalone (no database); a lost database connection answers 503 instead."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable_response()
    html = loader.get_template("500.html").render({"title": _("Server error")})
    return HttpResponseServerError(html)
