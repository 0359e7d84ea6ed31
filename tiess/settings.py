"""Settings for the TIESS strategic plan tracker, read from the environment (django-environ).

Every variable is listed, with a French comment, in `.env.example`.
"""

from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A secret key is only optional while developing.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin and django-axes, configured by the project (tiess/apps.py).
    "tiess.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "tiess.apps.AxesConfig",
    "csp",
    "django_tasks",
    "tiess.apps.TasksDatabaseConfig",
    "plan",
    "indicators",
    "indicators.board",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "indicators.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage answers a French 503 page with Retry-After instead of a 500.
    "tiess.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tiess.locale.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to logged-in people: Cache-Control no-store, private.
    "tiess.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiess.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "indicators.recording.permissions.recording",
            ],
            # Its `date` filter replaces Django's: « 1er avril 2022 ».
            "builtins": ["indicators.rules.typography"],
        },
    },
]

WSGI_APPLICATION = "tiess.wsgi.application"

# The board's rendered pages are cached (indicators/board/cache.py), keyed on the plan's data
# version. Without CACHE_URL every process of the host shares a file cache in CACHE_DIR;
# CACHE_URL (django-environ: redis://host:6379/1, filecache://…, dummycache://) shares one
# cache between hosts (README, « Cache »). See tiess/caches.py.
from tiess.caches import cache_config  # noqa: E402 (kept beside its setting)

CACHES = {
    "default": cache_config(
        env("CACHE_URL", default=""),
        default_location=env.path("CACHE_DIR", default=BASE_DIR / ".cache" / "board"),
    )
}
BOARD_CACHE_SECONDS = env.int("BOARD_CACHE_SECONDS", default=24 * 60 * 60)
# After each save, a task renders the main board pages into the cache (indicators/board/warm.py).
BOARD_WARM_AFTER_SAVE = env.bool("BOARD_WARM_AFTER_SAVE", default=True)

# The embedded SQLite file is the default; `postgres://…` selects PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: writers wait their turn (IMMEDIATE, up to 20 s) instead of failing on a lock,
    # and readers never wait for a writer (WAL). The test database is a file too, so that
    # concurrency tests see the same locking as `make run`.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory), so that the threads of the concurrency tests share it; its name can be
    # changed so that two test runs on one checkout do not share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_NAME", default=str(BASE_DIR / ".test-db.sqlite3"))
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Staff land on « À saisir », the board on the dashboard (indicators.account_views.landing).
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Toronto")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Québec typography: « 17 h 44 » (Django's own fr_CA format prints « 17 05 44 »).
FORMAT_MODULE_PATH = ["tiess.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
from tiess import storage  # noqa: E402 (kept beside the setting it builds)

STORAGES = {
    # Evidence and prepared files: MEDIA_ROOT, or an S3-compatible bucket (tiess/storage.py).
    "default": storage.default_storage_setting(env),
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# === Background work (issue 21): Django's task framework (django-tasks, the backport of Django
# 6's django.tasks) with its database backend: the queue is a table of the app's own database
# (SQLite or PostgreSQL), served by `manage.py db_worker` (`make run` starts one beside the
# server; deploy/systemd/tiess-worker.service in production). TASKS_BACKEND=
# django_tasks.backends.immediate.ImmediateBackend runs each task at once, inside the request.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# Exports up to this many rows are streamed at once; larger ones are prepared by the worker.
EXPORT_STREAM_MAX_ROWS = env.int("EXPORT_STREAM_MAX_ROWS", default=2000)
# A prepared export can be downloaded this many hours, by the person who asked only.
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
# A worker that has not reported progress for this many seconds is taken as stopped.
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=120)
# === End of background work ===================================================================

# Evidence files attached to measurements.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Evidence files: readable by the app's user and group only (umask does not widen them).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# === E-mail: configuration, reminders, password reset (issue 14) ==============================
# EMAIL_URL is read by django-environ: smtp+tls://user:password@host:587 in production,
# consolemail:// (messages printed in the terminal) by default in development. In production
# with no EMAIL_URL, Django's default (an SMTP server on localhost:25) is never tried: a backend
# that sends nothing and logs a warning replaces it, the admin shows that mail is not
# configured, the password-reset link is hidden and send_reminders refuses to run.
EMAIL_NOT_CONFIGURED_BACKEND = "tiess.email_backend.NotConfiguredEmailBackend"
EMAIL_URL = env("EMAIL_URL", default="consolemail://" if DEBUG else "")
EMAIL_BACKEND = EMAIL_NOT_CONFIGURED_BACKEND
if EMAIL_URL:
    for _name, _value in environ.Env.email_url_config(EMAIL_URL).items():
        if _name.startswith("EMAIL_") and _value not in (None, ""):
            globals()[_name] = _value
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Suivi du plan TIESS <suivi@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Address of the site in links of e-mails sent outside a request (reminders, board digest).
SITE_URL = env(
    "SITE_URL",
    default="http://127.0.0.1:8000"
    if DEBUG
    else (f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "http://localhost"),
).rstrip("/")
# Reporting deadlines: a period's values are due this many days after its end (unless the
# period has its own due date); reminders start this many days before (each person may change).
REPORTING_DUE_DAYS = env.int("REPORTING_DUE_DAYS", default=30)
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=7)
# Password-reset links are valid one hour; at most this many reset e-mails per address an hour.
PASSWORD_RESET_TIMEOUT = 3600
PASSWORD_RESET_MAX_PER_HOUR = env.int("PASSWORD_RESET_MAX_PER_HOUR", default=3)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("tiess.email_backend.mail_status")
# === End of e-mail =============================================================================

# Security: strict by default, relaxed only by DEBUG or explicit variables.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False)
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Seconds a client is asked to wait (Retry-After) when the database is unavailable.
DATABASE_RETRY_AFTER = env.int("DATABASE_RETRY_AFTER", default=30)
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling: 5 failures for one user name from one address, then a cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# --- Client address behind reverse proxies (login throttling) -------------------------------
# django-axes keys failures on the client's address, read through django-ipware. By default
# one proxy (nginx, deploy/nginx/tiess.conf) appends the client's address to X-Forwarded-For;
# REVERSE_PROXY_COUNT=0 when nothing stands in front of gunicorn (see tiess/proxies.py).
from tiess import proxies  # noqa: E402 (kept inside this block)

REVERSE_PROXY_COUNT = env.int("REVERSE_PROXY_COUNT", default=1)
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = proxies.axes_ipware_settings(
    REVERSE_PROXY_COUNT
)
AXES_IPWARE_PROXY_ORDER = "left-most"
# Count proxies from the right end of the header, so that a forged prefix is skipped.
IPWARE_STRICT = False
# --- End of client address behind reverse proxies -------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {
            "handlers": ["stdout"],
            "level": env("LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
    },
}

# === The read-only API (issue 22): DRF, tokens, throttling, OpenAPI =========================
# Personal tokens (`Authorization: Bearer …`), or the session of a signed-in person; without
# either, only what the public page publishes. Nobody writes: every endpoint is GET only.
API_THROTTLE_USER = env("API_THROTTLE_USER", default="600/minute")
API_THROTTLE_ANON = env("API_THROTTLE_ANON", default="60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "indicators.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["indicators.api.permissions.ReadsOnlyWhatTheReaderMay"],
    # In the default cache (CACHE_URL): shared between workers and hosts when it is Redis.
    "DEFAULT_THROTTLE_CLASSES": [
        "indicators.api.throttling.ReaderRateThrottle",
        "indicators.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "indicators.api.renderers.FrenchCsvRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    # The client's address behind nginx, as for login throttling (REVERSE_PROXY_COUNT).
    "NUM_PROXIES": REVERSE_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du suivi du plan stratégique du TIESS",
    "DESCRIPTION": "Lecture seule. En-tête : `Authorization: Bearer <jeton>` (voir /api/).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # The UI's files from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# === End of the API ============================================================================
