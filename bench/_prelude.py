"""What the in-process bench scripts share before they import the project: a throwaway SQLite
database in a temporary folder unless DATABASE_URL is set, production-like settings, Django set
up. Run as `python bench/NAME.py`, bench/ is the first entry of sys.path, so scripts import it
as `_prelude`."""

import os
import tempfile


def django_start(prefix):
    """Set the environment, set Django up, and return the temporary folder (the caller deletes
    it at the end)."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiess.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()
    return workdir
