"""Settings, read from the environment (twelve-factor, as in cookiecutter-django).

With nothing set, the project runs on an SQLite file inside the project, runs
Celery tasks in-process and writes e-mail to files: what `make run` needs on a
fresh machine. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and the
e-mail variables.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Production unless told otherwise: `make run`, `worker` and `beat` export DJANGO_DEBUG=on.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DJANGO_DEBUG=on for development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "registry.apps.ScopedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_celery_beat",
    "registry",
    "compliance",
    "notifications",
    "compliance.reports",
    "compliance.annual",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "registry.accounts",
    "registry.audit",
    "registry.reorganisation",
    # Issue 16: the REST API under /api/v1/ and its OpenAPI schema and docs (static, no CDN).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "registry.api",
    "registry.inspections",
    "registry.dossiers",
    "registry.levels",
    "registry.notes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "compliance.middleware.VietnameseFirstLocaleMiddleware",
    "compliance.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "registry.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "compliance.middleware.PinnedDataVersionMiddleware",
    "registry.reorganisation.middleware.StructureCacheMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires (manage.py check)
]

ROOT_URLCONF = "compliance.urls"
WSGI_APPLICATION = "compliance.wsgi.application"

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

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the as-of queries' cost estimates (a subquery per system) pass its
    # threshold at 10x, and compiling then took 450 ms of a 500 ms page query that runs in 45 ms
    # without it. Pages ask short queries; JIT pays only on long analytical ones.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Issue 12: django-axes first, so that a locked account or address is refused before any
# password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# App catalogs (<app>/locale) are found by Django; project-wide strings live here.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["compliance.formats"]  # dd/mm/yyyy, as Vietnamese documents write dates
# A filter left empty shows everything: it reads "Tất cả", not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"

# E-mail: files under var/ unless an SMTP server is configured.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST", default="")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="compliance@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: a Redis broker when REDIS_URL is set; otherwise tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Issue 17: figures cached per date and data version (compliance/figures_cache.py), shared by
# every web worker through Redis; one process's memory without REDIS_URL.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=24 * 3600)
# A unit page's tables as first opened (compliance/views.py): kept for the rush of the same
# views around a deadline, not the day, since every unit and date may have its own.
PAGE_TABLES_CACHE_SECONDS = env.int("PAGE_TABLES_CACHE_SECONDS", default=600)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
    | {"KEY_PREFIX": "compliance"}
}
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks: each feature adds its own entry below, one statement each
# (django-celery-beat copies them into its database schedule when beat starts).
CELERY_BEAT_SCHEDULE = {}
# Issue 4: deadline reminders (notifications/). The planner runs daily at REMINDER_HOUR
# (Asia/Ho_Chi_Minh) and fans out send tasks of REMINDER_SEND_CHUNK e-mails, each chunk over
# one SMTP connection; see notifications/sending.py.
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)
CELERY_BEAT_SCHEDULE["plan-reminders"] = {
    "task": "notifications.plan_reminders",
    "schedule": crontab(minute=0, hour=REMINDER_HOUR),
}
REMINDER_SEND_CHUNK = env.int("REMINDER_SEND_CHUNK", default=50)
# Issue 13: unit changes that came into force carry their people over to the successor
# (pending confirmation), daily just after midnight, before the reminders are planned.
CELERY_BEAT_SCHEDULE["apply-due-unit-changes"] = {
    "task": "reorganisation.apply_due_unit_changes",
    "schedule": crontab(minute=5, hour=0),
}
# Issue 11: a transient SMTP failure (4xx, connection error, time-out) defers the e-mail. It is
# tried again after each step of this schedule in turn, then every last step, until
# REMINDER_GIVE_UP_AFTER_HOURS after its first attempt; only then, or on a 5xx, it fails.
REMINDER_RETRY_SCHEDULE_MINUTES = env.list(
    "REMINDER_RETRY_SCHEDULE_MINUTES", cast=int, default=[1, 5, 15, 60]
)
REMINDER_GIVE_UP_AFTER_HOURS = env.int("REMINDER_GIVE_UP_AFTER_HOURS", default=48)
# The sweeper sends what is due: deferred e-mails, claims past their lease, pending e-mails
# the broker never delivered; and flags stale transmissions as unknown outcomes.
REMINDER_SWEEP_MINUTES = env.int("REMINDER_SWEEP_MINUTES", default=5)
CELERY_BEAT_SCHEDULE["sweep-reminders"] = {
    "task": "notifications.sweep_deliveries",
    "schedule": crontab(minute=f"*/{REMINDER_SWEEP_MINUTES}"),
}
# A claim older than this is a dead worker's; it must outlast EMAIL_TIMEOUT by far.
REMINDER_CLAIM_LEASE_SECONDS = env.int("REMINDER_CLAIM_LEASE_SECONDS", default=900)
# Replies to a reminder go here (the sender address is not read).
REMINDER_REPLY_TO = env("REMINDER_REPLY_TO", default=DEFAULT_FROM_EMAIL)
# Overdue ministries and provinces reach the national administrators in one weekly digest,
# planned on this weekday (0 Monday ... 6 Sunday) or the first planner run after it.
REMINDER_NATIONAL_DIGEST_WEEKDAY = env.int("REMINDER_NATIONAL_DIGEST_WEEKDAY", default=0)
REMINDER_LIST_LIMIT = 10  # outstanding systems listed in a digest, highest level first
DOSSIER_REMINDER_WORKING_DAYS_BEFORE = 2
INSPECTION_INTERVAL_MONTHS = {3: 12, 4: 12, 5: 6}  # Decree 85/2016 Art. 20
INSPECTION_DIGEST_HORIZON_DAYS = 30
# Issue 14: the whole organisation is assessed every 2 years (Decree 85/2016 Art. 20).
ORGANISATION_ASSESSMENT_INTERVAL_MONTHS = 24
# Forecasts name no 100% date further away than this; they say there is not enough data.
FORECAST_HORIZON_YEARS = env.int("FORECAST_HORIZON_YEARS", default=5)
# Issue 3: the compliance snapshot of the month just ended (per unit, per group, national),
# on the 1st at 00:30, as of the last day of the previous month.
CELERY_BEAT_SCHEDULE["monthly-compliance-snapshot"] = {
    "task": "compliance.record_monthly_snapshot",
    "schedule": crontab(minute=30, hour=0, day_of_month=1),
}
# Issue 5: the national Appendix IX PDF for the month just ended, on the 1st at 06:00.
CELERY_BEAT_SCHEDULE["monthly-national-report"] = {
    "task": "reports.monthly_national_report",
    "schedule": crontab(minute=0, hour=6, day_of_month=1),
}
# Issue 5: reporting units the national summary does not count, named in its note
# (DOMAIN.md §7: the Ministries of Defence and Public Security in 2024).
REPORTS_UNITS_NOT_COUNTED = env.list(
    "REPORTS_UNITS_NOT_COUNTED", default=["Bộ Quốc phòng", "Bộ Công an"]
)

# Issue 6: limits of the system import (registry/imports.py): file size and data rows.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
# Issue 10: an .xlsx is a zip archive; before it is parsed its parts are checked against these
# (registry/xlsx_reader.py). A 20,000-row inventory unpacks to about 30 MB in a few dozen parts
# compressed 5-20 times; zip bombs declare gigabytes or ratios in the hundreds.
IMPORT_XLSX_MAX_ENTRIES = env.int("IMPORT_XLSX_MAX_ENTRIES", default=500)
IMPORT_XLSX_MAX_ENTRY_BYTES = env.int("IMPORT_XLSX_MAX_ENTRY_BYTES", default=64 * 1024 * 1024)
IMPORT_XLSX_MAX_TOTAL_BYTES = env.int("IMPORT_XLSX_MAX_TOTAL_BYTES", default=128 * 1024 * 1024)
IMPORT_XLSX_MAX_RATIO = env.int("IMPORT_XLSX_MAX_RATIO", default=100)
# Stored files of dry runs and refused imports are deleted after this many days (the daily
# registry.purge_import_files task); the files of applied imports are kept.
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=30)
CELERY_BEAT_SCHEDULE["purge-import-files"] = {
    "task": "registry.purge_import_files",
    "schedule": crontab(minute=15, hour=2),
}
# An upload larger than the import limit is refused before its body is read
# (registry/uploads.py); the reverse proxy should refuse it earlier still (docs/import.md).
# Issue 12: the largest body the application takes is an import upload, so every request body
# is held to that size: IMPORT_MAX_BYTES plus the 64 KB of form fields and multipart boundaries
# that registry/uploads.py allows. Set the reverse proxy's body limit to IMPORT_MAX_REQUEST_BYTES
# (11 MB by default).
IMPORT_MAX_REQUEST_BYTES = IMPORT_MAX_BYTES + 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_REQUEST_BYTES
FILE_UPLOAD_HANDLERS = [
    "registry.uploads.ImportSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Issue 12: the audit trail (registry/audit/). Events older than AUDIT_RETENTION_DAYS are purged
# daily at 03:30; nothing else deletes one.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=400)
CELERY_BEAT_SCHEDULE["purge-audit-events"] = {
    "task": "audit.purge_expired_events",
    "schedule": crontab(minute=30, hour=3),
}
# How many reverse proxies in front of the application append to X-Forwarded-For. With 0 the
# client address is REMOTE_ADDR; behind N trusted proxies it is the hop the outermost one added.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Issue 12: login protection (django-axes, registry/accounts/). A run of failed sign-ins locks
# the account name and, separately, the client address. Axes locks on the failure that reaches
# AXES_FAILURE_LIMIT: with 11, ten wrong passwords in a row get the login form again and the
# 11th locks. The lock lifts after AXES_COOLOFF_MINUTES or when a national administrator
# unlocks it (/accounts/lockouts/, recorded in the audit trail).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=11)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "registry.accounts.locks.locked_out"
AXES_ENABLE_ADMIN = False  # locks are listed and lifted on /accounts/lockouts/
AXES_CLIENT_IP_CALLABLE = "registry.accounts.locks.client_ip"  # as the audit trail reads it
AXES_VERBOSE = False
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # lockouts, not every attempt
# Issue 12: two-factor sign-in (django-otp TOTP, recovery codes). Required for national and
# account administrators; for everyone when OTP_REQUIRED_FOR_ALL is on; otherwise for those
# who enrolled a device.
OTP_REQUIRED_FOR_ALL = env.bool("OTP_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Compliance tracker")
OTP_RECOVERY_CODES = 10
# Invitation links (Django's password-reset tokens) stay valid this long.
PASSWORD_RESET_TIMEOUT = env.int("INVITATION_TIMEOUT_SECONDS", default=3 * 24 * 3600)
# Issue 12: production-safe defaults. With DEBUG off, cookies are Secure, HTTP redirects to HTTPS
# and HSTS is sent. Behind a reverse proxy that terminates TLS, either set SECURE_PROXY_SSL_HEADER
# to the header it sets (X-Forwarded-Proto; the proxy must overwrite any value a client sent) or
# turn SECURE_SSL_REDIRECT off and let the proxy redirect; otherwise every request redirects.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
_PROXY_SSL_HEADER = env("SECURE_PROXY_SSL_HEADER", default="")
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# A session lasts one working day at most, and ends when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=9) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site,
# no inline code, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Issue 16: the REST API (registry/api/). Personal tokens (Authorization: Bearer ...) or the
# session; one error format (RFC 9457 problem details) in the language of Accept-Language;
# throttled per token on the "api" cache (Redis with REDIS_URL, so that every web worker
# counts together), refused with 429 and Retry-After.
# The API's throttles and idempotency keys: shared by every worker, as the figures are.
CACHES["api"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
) | {"KEY_PREFIX": "api"}
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
API_TOKEN_USE_NOTE_SECONDS = 60  # last use of a token written at most once a minute per address
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=100)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=1000)
API_IDEMPOTENCY_DAYS = env.int("API_IDEMPOTENCY_DAYS", default=7)
# A bulk request still running after this long died with its worker; its key may be reused.
API_IDEMPOTENCY_LEASE_SECONDS = 900
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["registry.api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["registry.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env("API_RATE", default="600/minute"),
        "api_bulk": env("API_BULK_RATE", default="60/hour"),
    },
    "EXCEPTION_HANDLER": "registry.api.errors.problem_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Security level compliance API",
    "DESCRIPTION": "Units, information systems and their compliance figures (issue 16).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.add_problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {},
}
