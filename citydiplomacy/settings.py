"""Settings for CityDiplomacy, read from the environment.

One module for every environment; ``DJANGO_ENV`` (development | production | test) picks the
few things that differ. Every value that differs between machines comes from an environment
variable (or a ``.env`` file beside ``manage.py``); see ``.env.example``.

Embedded default (nothing set): SQLite file, local-memory cache, Celery tasks run in-process.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be one of development, production, test (got {DJANGO_ENV!r})."
    )
IS_PRODUCTION = DJANGO_ENV == "production"
IS_TEST = DJANGO_ENV == "test"

DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")

# A development key exists only so that `make run` works out of the box; production refuses
# to start without a real one.
_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if IS_PRODUCTION or not (DEBUG or IS_TEST):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DJANGO_ENV=production or DEBUG off) refuses "
            "to start without it: set SECRET_KEY to a long random value."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks: content translations (theme names).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_countries",
    "django_htmx",
    "simple_history",
    "axes",
    "cities",
    "partnerships",
    # The project itself, for the commands that span both apps (load_demo).
    "citydiplomacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "citydiplomacy.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # 400 for a NUL or other control character in the path, query, cookies or form values,
    # before anything reads the session or the database (citydiplomacy/middleware.py).
    "citydiplomacy.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change in the directory's history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citydiplomacy.urls"
WSGI_APPLICATION = "citydiplomacy.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: a SQLite file beside manage.py. PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # The cache is an optimisation, never a dependency: when Redis does not answer, pages
    # render without it (citydiplomacy/cache.py) and /healthz names it.
    CACHES = {
        "default": {
            "BACKEND": "citydiplomacy.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="citydiplomacy"),
            "TIMEOUT": 300,
            "OPTIONS": {
                # A hung Redis must not hold a page for long; a dead one is skipped for this
                # many seconds after each failure.
                "socket_connect_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", default=5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------
# Unset broker: tasks run in-process (eager). citydiplomacy/celery.py logs that once at start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# Reliability: a task is acknowledged only after it ran, and re-queued when its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Must exceed the longest hard time limit, or Redis redelivers a task that is still running.
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
}
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
if CELERY_TASK_TIME_LIMIT >= CELERY_BROKER_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "CELERY_TASK_TIME_LIMIT must be below CELERY_BROKER_VISIBILITY_TIMEOUT."
    )
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that lost Redis keeps reconnecting for as long as it takes (Celery's default gives
# up after 100 attempts and exits); compose restarts one that dies anyway.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Publishing from a web request must fail fast when the broker is down (the outbox and the
# sweepers deliver later); a worker reconnects on its own schedule.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# A task running when the connection drops finishes; its message, which can no longer be
# acknowledged, is redelivered after the visibility timeout and finds its work done (every
# task is idempotent), so nothing is cancelled half-way.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE: dict = {}  # filled in citydiplomacy/celery.py from code

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Signed-in people land on their dashboard; "/" stays the public home page.
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
# django-axes counts failed sign-ins first; a locked-out attempt never reaches the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Off in tests by default: the test client's login() authenticates without a request, which
# axes refuses. The lockout tests switch it on.
AXES_ENABLED = env.bool("AXES_ENABLED", default=not IS_TEST)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "cities/accounts/locked_out.html"
AXES_VERBOSE = False
# Sign-in failures are counted per client address as citydiplomacy.clientip sees it behind
# TRUSTED_PROXY_COUNT proxies (below): not the proxy's own address, not a spoofed header.
AXES_CLIENT_IP_CALLABLE = "citydiplomacy.clientip.client_ip"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
# Uploads (curation imports): anything larger is refused before it is parsed.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields, Django's default 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spill to a temporary file

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content in the user's language (django-modeltranslation, see cities/translation.py): one
# column per language, English the fallback for an empty translation.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Date formats of our own (a weekday with the date, …) per language: citydiplomacy/formats/.
FORMAT_MODULE_PATH = ["citydiplomacy.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CityDiplomacy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Client address behind the reverse proxy ------------------------------------------------
# How many reverse proxies in front of the portal append to X-Forwarded-For (production
# expects one, e.g. nginx terminating TLS); 0 ignores the header. Sign-in throttling and rate
# limits count clients by the address citydiplomacy.clientip derives from it
# (docs/accounts.md, "Client address").
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if IS_PRODUCTION else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# --- Security (production) ------------------------------------------------------------------
if IS_PRODUCTION:
    # TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page: scripts, styles, images and fetches from this site only (the vendored libraries
# are served from here), no inline script or style attribute, no plugins, no framing.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
# The language choice is a cookie too: as private as the session in production.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True

# --- Tests ----------------------------------------------------------------------------------
if IS_TEST:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Page fragments that are the same for every visitor - the directory's filters and results for
# a query string, a profile's climate and suggestion sections - are cached this long, so an
# edit shows there within this time; 0 turns the cache off (tests do, unless about the cache).
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0 if IS_TEST else 60)
# How often a process asks whether its in-memory index of city names (typo-tolerant search
# without pg_trgm, cities/fuzzy.py) is still current; tests ask every time.
SEARCH_INDEX_RECHECK_SECONDS = env.int("SEARCH_INDEX_RECHECK_SECONDS", default=0 if IS_TEST else 30)

# --- Product settings -----------------------------------------------------------------------
CITYDIPLOMACY = {
    # How many partnership requests one city may send per day.
    "REQUESTS_PER_CITY_PER_DAY": env.int("REQUESTS_PER_CITY_PER_DAY", default=20),
    # Partnership requests: unanswered ones expire, with one reminder before.
    "REQUEST_EXPIRES_AFTER_DAYS": env.int("REQUEST_EXPIRES_AFTER_DAYS", default=60),
    "REQUEST_REMINDER_AFTER_DAYS": env.int("REQUEST_REMINDER_AFTER_DAYS", default=14),
    # Absolute links in e-mails start with this. `make run` serves at HOST:PORT and passes
    # that address as LOCAL_SITE_URL, so links work on whatever port it serves; SITE_URL (from
    # the environment or .env) always wins.
    "SITE_URL": env.str(
        "SITE_URL", default=env.str("LOCAL_SITE_URL", default="http://127.0.0.1:8000")
    ),
    # E-mail outbox: a claimed row is retried only after its lease ran out (must exceed the
    # send task's hard time limit); failed sends back off exponentially up to this many tries.
    "OUTBOX_LEASE_SECONDS": env.int("OUTBOX_LEASE_SECONDS", default=600),
    "OUTBOX_MAX_ATTEMPTS": env.int("OUTBOX_MAX_ATTEMPTS", default=6),
    # Dotted path of the backend for outbox e-mail; empty: EMAIL_BACKEND.
    "OUTBOX_EMAIL_BACKEND": env.str("OUTBOX_EMAIL_BACKEND", default=""),
    # Tests only (DJANGO_ENV=test): the send task waits while this file exists.
    "OUTBOX_TEST_HOLD_FILE": env.str("OUTBOX_TEST_HOLD_FILE", default="") if IS_TEST else "",
}
