"""The cache configuration from CACHE_URL: one cache every process of a host shares.

Without CACHE_URL the default is Django's file cache in one folder: every gunicorn worker,
both app servers of one host and the task worker read the same entries (bench/cache.py
measured it against the database cache: gets 4-7× faster, README « Cache »). With
`redis://…`, Django's own Redis backend is used even if django-redis is installed (to which
django-environ would otherwise map the scheme). Imports nothing from the project.
"""

from urllib.parse import urlsplit

import environ

FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
REDIS_SCHEMES = {"redis", "rediss", "rediscache"}
# The board keeps one entry per page, period, filter, language and set of permissions.
FILE_CACHE_MAX_ENTRIES = 2000


def cache_config(url, *, default_location):
    """The `CACHES["default"]` of `url` (a django-environ cache URL), or the shared file cache
    in `default_location` when `url` is empty."""
    if not url:
        return {
            "BACKEND": FILE_CACHE,
            "LOCATION": str(default_location),
            "OPTIONS": {"MAX_ENTRIES": FILE_CACHE_MAX_ENTRIES},
        }
    config = environ.Env.cache_url_config(url)
    if urlsplit(url).scheme in REDIS_SCHEMES:
        # Django's backend takes its OPTIONS in lower case (django-redis's in upper case);
        # django-environ may leave TIMEOUT… in lower case too.
        options = {key.lower(): value for key, value in config.pop("OPTIONS", {}).items()}
        config = {key.upper(): value for key, value in config.items()}
        config["BACKEND"] = REDIS_CACHE
        if options:
            config["OPTIONS"] = options
    return config
