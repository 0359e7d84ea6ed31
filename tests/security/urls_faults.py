"""The project's URLs plus views that fail on purpose, for tests/security/test_error_pages.py."""

from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import path

from tiess.urls import handler500
from tiess.urls import urlpatterns as project_urlpatterns


def database_gone(request):
    """Open a real connection to a database that cannot exist: Django raises OperationalError."""
    broken = DatabaseWrapper(
        {
            "NAME": "/nonexistent-directory/tiess.sqlite3",
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="broken",
    )
    broken.ensure_connection()


def bug(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("_faults/database/", database_gone),
    path("_faults/bug/", bug),
    *project_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
