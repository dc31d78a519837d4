"""CLTS settings: every deploy-time value comes from the environment; defaults are safe for development only."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules
# A development key exists only with DEBUG on (or under the test runner); production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="")
# Key for the keyed hash of Aadhaar numbers (matching without storing the number). Its own key, so that rotating
# SECRET_KEY (sessions, signing) does not make every stored hash unmatchable.
IDENTIFIER_HASH_KEY = env("IDENTIFIER_HASH_KEY", default="")


def _refuse_placeholder(name: str, value: str) -> None:
    """Production starts only with real secrets: not empty, not the example's "change-me" text, not short."""
    if not value:
        raise ImproperlyConfigured(f"Set {name} (see .env.example); only DEBUG has a development default.")
    if "change-me" in value.lower() or len(value) < 32:
        raise ImproperlyConfigured(
            f"{name} is the example's placeholder or too short: set a long random value, for example "
            '`python -c "import secrets; print(secrets.token_urlsafe(64))"`.'
        )


if DEBUG or TESTING:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-in-production"
    IDENTIFIER_HASH_KEY = IDENTIFIER_HASH_KEY or SECRET_KEY
else:
    _refuse_placeholder("SECRET_KEY", SECRET_KEY)
    _refuse_placeholder("IDENTIFIER_HASH_KEY", IDENTIFIER_HASH_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# LGD code of the state this deployment serves (10 is Bihar in the Local Government Directory).
HOME_STATE = env.int("HOME_STATE", default=10)
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "guardian",
    "axes",
    "import_export",
    "health_check",
    "clts.core",
    "clts.geo",
    "clts.accounts",
    "clts.orgs",
    "clts.audit",
    "clts.matching",
    "clts.alerts",
    "clts.reports",
    "clts.imports",
    "rescue",
    "rehabilitation",
    "schemes",
    "trackchild_sync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow links, downloads left alone (static files come compressed from WhiteNoise above).
    "clts.core.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clts.accounts.middleware.SessionLifetimeMiddleware",
    "clts.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "clts.accounts.middleware.NoStoreMiddleware",
    "clts.accounts.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clts.urls"
WSGI_APPLICATION = "clts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "clts.accounts.context_processors.navigation",
                "clts.alerts.context_processors.work_count",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/clts")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Tests use their own Redis database so a developer's running worker never answers for them.
# Tests use Redis db 15, or one db per pytest-xdist worker (gw0 -> 15, gw1 -> 14...) so that parallel workers
# never share a queue, a cache or a lock; each worker also has its own test database (test_clts_gw0...).
_TEST_REDIS_DB = 15 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
# TEST_REDIS_SERVER lets two checkouts run their tests side by side, each against its own Redis server.
_REDIS_SERVER = env("TEST_REDIS_SERVER", default="redis://127.0.0.1:6379") if TESTING else "redis://127.0.0.1:6379"
REDIS_URL = env("REDIS_URL", default=f"{_REDIS_SERVER}/{_TEST_REDIS_DB if TESTING else 0}")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="clts"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# ASVS V6.2: length is what matters; no composition rules, common passwords refused, 64+ characters allowed.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "clts.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
LOGIN_URL = "accounts:login"
# My work is the first page after sign-in: what is due and overdue for the user.
LOGIN_REDIRECT_URL = "alerts:my-work"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 idle minutes, 12 hours in all (the absolute limit is enforced by SessionLifetimeMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# HTTPS-only unless developing or testing (the test servers speak plain HTTP on localhost).
HTTPS_ONLY = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=HTTPS_ONLY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy that sets X-Forwarded-Proto and appends to X-Forwarded-For (see README).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-axes: lock per username and IP; the same answer for unknown users as for a wrong password.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
# Client IP: X-Forwarded-For is trusted only as far as our own proxies add to it.
AXES_CLIENT_IP_CALLABLE = "clts.accounts.client_ip.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("MANIFEST_STATIC", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve static files straight from static/ in development and tests, from STATIC_ROOT in production.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest photo, scan or proof accepted (clts.core.uploads, the one upload policy).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# The largest register accepted for bulk import (clts.imports): 100,000 rows of a district register as CSV is ~20 MB.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
# Files with more rows than this are previewed and committed by a Celery worker; smaller ones while the admin waits.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
# A register of this many rows or more is checked in parts, one per process (clts.imports.pipeline), at most
# IMPORT_CHECK_PROCESSES of them (the machine's cores by default).
IMPORT_PARALLEL_ROWS = env.int("IMPORT_PARALLEL_ROWS", default=20000)
IMPORT_CHECK_PROCESSES = env.int("IMPORT_CHECK_PROCESSES", default=min(os.cpu_count() or 1, 4))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="clts@localhost")

# Celery: see ARCHITECTURE.md "Background work".
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Longer than the longest task, or Redis redelivers a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None


IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Spreadsheets only, and every exported cell escaped (clts.core.spreadsheets): no HTML, JSON or YAML exports.
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
EXPORT_FORMATS = IMPORT_FORMATS
# The admin's import needs the model's change permission, its export the view permission (by default: anyone staff).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Sections of the case page contributed by other apps: functions case_panel(*, request, case) -> dict | None.
CASE_PAGE_PANELS = [
    "trackchild_sync.panels.case_panel",
    "rehabilitation.panels.case_panel",
    "schemes.panels.case_panel",
]

# Sections of a case summary for the home state's CWC (trackchild_sync's interstate repatriation file):
# f(*, case, user) -> [{"key", "title", "rows": [{"label", "value"}]}], read through the user's access.
CASE_SUMMARY_SECTIONS = [
    "rehabilitation.summary.case_section",
    "schemes.summary.case_section",
]

# Run in the same transaction when a case is restored to its family: f(*, case, actor, restored_on).
CASE_RESTORED_SERVICES = [
    "rehabilitation.services.case_restored",
]

# Where the matching engine reads the registry's records for training and keys: functions yielding batches of
# clts.matching.records.Record.
MATCHING_REGISTRY = [
    "rescue.match_records.all_records",
]
# ... and the pairs people confirmed to be one child (the model's m is counted over them): functions yielding
# (Record, Record).
MATCHING_CONFIRMED_PAIRS = [
    "rescue.match_records.confirmed_pairs",
]

# The portal's navigation: (action the role needs, URL name, label). Apps add their entries here.
# The menu: (action the role needs, URL name, label[, the menu it sits in]). Entries without a menu stand in the bar;
# a menu shows as one dropdown, or as a plain link where the user may open only one of its entries.
_CASES, _REHABILITATION, _SCHEMES, _PROTECTION, _REPORTS, _ADMIN = (
    _("Cases"),
    _("Rehabilitation"),
    _("Schemes"),
    _("Child protection"),
    _("Reports"),
    _("Administration"),
)
NAVIGATION = [
    ("mywork.view", "alerts:my-work", _("My work")),
    ("portal.view", "portal:home", _("Home")),
    ("visit.view_list", "rehabilitation:visit-list", _("My visits")),
    ("case.view_list", "rescue:case-list", _("Cases"), _CASES),
    ("rescue.register", "rescue:rescue-create", _("Register rescue"), _CASES),
    ("link_request.view", "rescue:link-request-list", _("Link requests"), _CASES),
    ("package.view_list", "rehabilitation:package-list", _("Packages"), _REHABILITATION),
    ("linkage.view_list", "schemes:linkage-queue", _("Scheme linkages"), _SCHEMES),
    ("scheme.view_list", "schemes:scheme-list", _("Scheme catalogue"), _SCHEMES),
    ("register.view", "trackchild:home-list", _("Child care homes"), _PROTECTION),
    ("sitting.record", "trackchild:sitting-list", _("CWC sittings"), _PROTECTION),
    ("missing.view", "trackchild:missing-list", _("Missing children"), _PROTECTION),
    ("found.view", "trackchild:found-list", _("Found children"), _PROTECTION),
    ("match.review", "trackchild:pair-queue", _("Possible matches"), _PROTECTION),
    ("trackchild.exchange", "trackchild:exchange", _("TrackChild"), _PROTECTION),
    ("upload_compliance.view", "trackchild:upload-compliance", _("Upload compliance"), _REPORTS),
    ("dashboard.view", "reports:dashboard", _("Dashboard"), _REPORTS),
    ("compliance.view", "alerts:compliance", _("Deadlines kept"), _REPORTS),
    ("case.view_list", "reports:exports", _("Exports"), _REPORTS),
    ("audit.view", "audit:log", _("Audit trail"), _ADMIN),
    ("import.run", "imports:job-list", _("Import registers"), _ADMIN),
]

# The kinds of deadline the alerts scan evaluates: one module per app it watches, each with a KINDS list.
ALERT_RULE_KINDS = [
    "clts.alerts.rules.rescue.KINDS",
    "clts.alerts.rules.rehabilitation.KINDS",
    "clts.alerts.rules.schemes.KINDS",
    "clts.alerts.rules.trackchild.KINDS",
    "clts.alerts.rules.reviews.KINDS",
]
# SMS gateway for the daily digest (counts and case numbers only); a real gateway's class is set at deployment.
SMS_BACKEND = env("SMS_BACKEND", default="clts.alerts.sms.LoggingSmsBackend")
# The portal's address as officers reach it, for links in e-mails and SMS (no request to take it from there).
# TrackChild (trackchild_sync.exchange.push): the endpoint records are PUT to, and the token it gave the state.
# Empty: nothing is pushed (exports and imports still work).
TRACKCHILD_ENDPOINT = env("TRACKCHILD_ENDPOINT", default="")
TRACKCHILD_TOKEN = env("TRACKCHILD_TOKEN", default="")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Commands `seed_demo` runs after creating the demo users (each app's demo or catalogue data).
DEMO_SEED_COMMANDS: list[str] = ["seed_demo_cases", "seed_demo_figures", "refresh_summaries", "seed_deadline_rules"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No query string in any line: runserver logs whole request lines, and a URL may carry what someone typed. No
    # row values of a database error either (PostgreSQL's DETAIL and CONTEXT repeat the row: a child's name).
    "filters": {
        "no_query_strings": {"()": "clts.core.logging.NoQueryStrings"},
        "no_row_values": {"()": "clts.core.logging.NoRowValues"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings", "no_row_values"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines, through the same filter (Django's default handler would print queries).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
