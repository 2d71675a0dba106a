"""Kwint settings: read only from the environment (see .env.example for every variable).

KWINT_ENV decides the safety net:
- ``production`` (the default, so a forgotten variable fails safe): DEBUG must be off and
  SECRET_KEY must be set, or the process refuses to start.
- ``demo``: what ``make run`` uses; embedded defaults (SQLite, a file-system broker), demo
  logins without a second factor, console e-mail. DEBUG off and static files collected, as in
  production: a visitor who mistypes a URL gets Kwint's 404 page, never Django's URL list.

DEBUG is off in every mode unless a developer sets DEBUG=true.
- ``test``: what the test suite uses.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kwint.lib.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".run"

# django-environ with strict booleans and numbers: a typo fails loudly instead of meaning False.
env = Env()
# A local .env is a convenience for developers; real deployments pass the environment.
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

KWINT_ENV = env.str("KWINT_ENV", default="production")
if KWINT_ENV not in {"production", "demo", "development", "test"}:
    raise ImproperlyConfigured(f"KWINT_ENV must be production, demo, development or test, not {KWINT_ENV!r}")
IS_PRODUCTION = KWINT_ENV == "production"
DEMO_MODE = env.bool("KWINT_DEMO_MODE", default=KWINT_ENV == "demo")

# Never on by default: the technical pages list every URL pattern and settings to any visitor.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if IS_PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Refusing to start: DEBUG is on in production (KWINT_ENV=production).")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Refusing to start: SECRET_KEY is missing or shorter than 50 characters.")
    if DEMO_MODE:
        raise ImproperlyConfigured("Refusing to start: KWINT_DEMO_MODE cannot be on in production.")
    for _required in ("DATABASE_URL", "REDIS_URL"):
        if not env.str(_required, default=""):
            raise ImproperlyConfigured(f"Refusing to start: {_required} must be set in production.")
elif not SECRET_KEY:
    SECRET_KEY = "insecure-kwint-" + KWINT_ENV + "-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
KWINT_BASE_URL = env.str("KWINT_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Kwint's apps, lowest layer first (imports flow downward).
    "accounts",
    "audit",
    "students",
    "consent",
    "coaching",
    "checkins",
    "privacy",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may refuse: logs each 403 once, in one line.
    "kwint.lib.security.RefusedRequestLogMiddleware",
    # Permissions-Policy everywhere; no-store for every response to a signed-in user.
    "kwint.lib.security.PrivateResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any process_view (CSRF reads request.POST): a too large body is never read.
    "kwint.lib.security.RequestSizeLimitMiddleware",
    # After authentication: the user's own language setting counts when no cookie is set.
    "kwint.lib.middleware.DutchFirstLocaleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kwint.lib.middleware.SessionTimeoutMiddleware",
    # Sends a logged-in user without a verified second factor to enrolment or verification.
    "accounts.two_factor.TwoFactorMiddleware",
    # Every view needs a login unless marked @login_not_required (login, public consent links).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ActiveMembershipMiddleware",
    # After the membership is known: on a POST, logs "changed" only when the view wrote something.
    "audit.middleware.AccessLogChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last, as its docs require, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kwint.urls"
WSGI_APPLICATION = "kwint.wsgi.application"

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
                "kwint.lib.context_processors.kwint",
            ],
            # Kwint's date styles (`|short_date`, `|long_date`, ...) and the forms' error summary
            # (`{% form_errors %}`, used by base.html) and long notes folded (`|long_text`) in every template.
            "builtins": [
                "kwint.lib.templatetags.kwint_dates",
                "kwint.lib.templatetags.kwint_forms",
                "kwint.lib.templatetags.kwint_text",
            ],
        },
    },
]

# Database: SQLite for the demo on a bare machine, PostgreSQL whenever DATABASE_URL is set.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The web server and the Celery worker share the demo database: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
_test_db = env.str("KWINT_TEST_DB_NAME", default="")
if _test_db:
    DATABASES["default"]["TEST"] = {"NAME": _test_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if KWINT_ENV == "test":
    # Hashing speed is not what tests test; the cast creates many users per test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Links that set a password (accounts/passwords.py): a reset link lives an hour, an invitation
# KWINT_INVITE_DAYS. Reset requests per client address and per typed address, per hour.
PASSWORD_RESET_TIMEOUT = 3600
KWINT_INVITE_DAYS = env.int("KWINT_INVITE_DAYS", default=7)
KWINT_PASSWORD_RESETS_PER_ADDRESS = 10
KWINT_PASSWORD_RESETS_PER_EMAIL = 3
# Enrolling a second factor needs a one-time link from the user's mailbox (accounts/enrolment.py).
KWINT_ENROLMENT_LINK_MINUTES = 60
KWINT_ENROLMENT_LINKS_PER_HOUR = 5

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor login (BIO): required for every staff user, except the documented demo logins.
# On by default in production only: demo, development and test run without it unless
# KWINT_REQUIRE_2FA=true (the shared `login` fixture logs in without a device; tests/security
# turn it on explicitly).
KWINT_REQUIRE_2FA = env.bool("KWINT_REQUIRE_2FA", default=IS_PRODUCTION and not DEMO_MODE)
if IS_PRODUCTION and not KWINT_REQUIRE_2FA:
    # BIO: staff reach records of vulnerable young people only with a second factor.
    raise ImproperlyConfigured("Refusing to start: KWINT_REQUIRE_2FA cannot be off in production.")
OTP_TOTP_ISSUER = "Kwint"

# The client's address behind the TLS proxy (kwint/lib/client_address.py): how many proxies in
# front of Kwint add to X-Forwarded-For. 0: no proxy, the socket address is the client.
KWINT_TRUSTED_PROXIES = env.int("KWINT_TRUSTED_PROXIES", default=0)

# Login throttling (accounts/login_throttle.py, on django-axes): per account and client address,
# a wait that starts at one minute after AXES_FAILURE_LIMIT wrong passwords and doubles with each
# further one, up to AXES_COOLOFF_HOURS; the account from any other address is not affected.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_HOURS_MAX = env.float("AXES_COOLOFF_HOURS", default=0.5)
# How long axes remembers a streak of wrong passwords (the wait itself is the handler's).
AXES_COOLOFF_TIME = dt.timedelta(days=1)
AXES_HANDLER = "accounts.login_throttle.ProgressiveLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "kwint.lib.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
# Lock the account name per origin: a whole school behind one NAT address is not locked out
# by one colleague, and rotating cookies or user agents does not bypass it.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# Attempts made while waiting are not checked, and do not make the wait longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Password spraying: wrong logins per client address (over all accounts) per 15 minutes.
KWINT_LOGIN_FAILURES_PER_ADDRESS = env.int("KWINT_LOGIN_FAILURES_PER_ADDRESS", default=30)

# Sessions: end after inactivity and after an absolute maximum (BIO).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30) * 60
SESSION_ABSOLUTE_MAX = env.int("SESSION_ABSOLUTE_MAX_HOURS", default=10) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_MAX
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers. Production sits behind TLS; the demo serves plain http on localhost.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=IS_PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env.bool("SECURE_PROXY_SSL_HEADER", default=IS_PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: only our own static files, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Internationalisation: Dutch first, English available. Store UTC, show Europe/Amsterdam.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# Two date styles, 24-hour times: kwint/formats/<language>/formats.py and kwint.lib.dates.
FORMAT_MODULE_PATH = ["kwint.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production and the demo serve collected, fingerprinted and compressed files (`collectstatic`:
# the Dockerfile, `make run`), cached for a year by the browser. Development and tests serve
# straight from static/ without a collect step.
COLLECTED_STATIC = KWINT_ENV in {"production", "demo"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if COLLECTED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: SMTP from EMAIL_URL in production, the console in the demo.
_email = env.email_url("EMAIL_URL", default="consolemail://" if not IS_PRODUCTION else "smtp://localhost:25")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kwint <noreply@kwint.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when REDIS_URL is set; otherwise a file-system broker that needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = None
    _broker_dir = RUN_DIR / "broker"
    # kombu's file-system transport fails on a missing folder; web, worker and beat all need it.
    for _folder in (_broker_dir, RUN_DIR / "broker-processed"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(RUN_DIR / "broker-processed"),
        "store_processed": False,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only after it ran, and requeued if its worker dies mid-run: a
# reminder is never lost. Idempotency keys in the database make the redelivery harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(RUN_DIR / "celerybeat-schedule")

# The cache may live in its own Redis database: a cache can be flushed or evicted (LRU),
# the broker's queues and bindings must never be. Defaults to REDIS_URL.
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}
        if REDIS_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The yearly import: uploads are read by a Celery task within these bounds (students.importing).
KWINT_IMPORT_MAX_ROWS = env.int("KWINT_IMPORT_MAX_ROWS", default=20_000)
KWINT_IMPORT_MAX_UNPACKED_MB = env.int("KWINT_IMPORT_MAX_UNPACKED_MB", default=50)
KWINT_IMPORT_PARSE_SECONDS = env.int("KWINT_IMPORT_PARSE_SECONDS", default=120)
# Address space a reading may add to its worker process before it fails with a clear message.
KWINT_IMPORT_MEMORY_MB = env.int("KWINT_IMPORT_MEMORY_MB", default=512)
# Prefork workers: a child that has grown past this (KiB) is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", default=400_000)

# Retention (AVG): days after an end event before a record is erased or pseudonymised.
KWINT_RETENTION_DAYS_AFTER_CLOSE = env.int("KWINT_RETENTION_DAYS_AFTER_CLOSE", default=365)
KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL = env.int("KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL", default=30)
KWINT_RETENTION_DAYS_WITHOUT_CONSENT = env.int("KWINT_RETENTION_DAYS_WITHOUT_CONSENT", default=365)
# No record is erased before its erasure date has been shown (on the record, in the erasure
# preview) for this many days: a new or earlier date is never sooner than this from today.
KWINT_ERASURE_NOTICE_DAYS = env.int("KWINT_ERASURE_NOTICE_DAYS", default=30)
# How long a digital consent link stays valid.
KWINT_CONSENT_LINK_DAYS = env.int("KWINT_CONSENT_LINK_DAYS", default=14)
# Escalation to the coordinator after a check-in is overdue this many days.
KWINT_ESCALATE_AFTER_DAYS = env.int("KWINT_ESCALATE_AFTER_DAYS", default=14)
# How long a contact note stays editable by its author before it is frozen.
KWINT_CONTACT_EDIT_MINUTES = env.int("KWINT_CONTACT_EDIT_MINUTES", default=30)
# Dashboards and exports hide counts of young people under this number ("<5"), and a second
# count wherever one hidden count could be worked out by subtraction. At least 3.
KWINT_SUPPRESS_BELOW = env.int("KWINT_SUPPRESS_BELOW", default=5)
if KWINT_SUPPRESS_BELOW < 3:
    raise ImproperlyConfigured("KWINT_SUPPRESS_BELOW must be at least 3: '<2' would mean exactly 1.")
# A reminder claimed by a worker that died mid-send may be re-claimed after this many seconds.
KWINT_REMINDER_CLAIM_SECONDS = env.int("KWINT_REMINDER_CLAIM_SECONDS", default=600)
# Every SMTP socket operation gives up after EMAIL_TIMEOUT seconds. One send is about ten
# operations (connect, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA ...), so a claim must outlast ten
# timeouts: otherwise a second worker could take over a claim whose sender still waits, and send
# the same reminder again (coaching.outbox).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30.0)
if not 0 < EMAIL_TIMEOUT * 10 <= KWINT_REMINDER_CLAIM_SECONDS:
    raise ImproperlyConfigured(
        f"Refusing to start: EMAIL_TIMEOUT ({EMAIL_TIMEOUT:g} s) must be more than 0 and at most a tenth of "
        f"KWINT_REMINDER_CLAIM_SECONDS ({KWINT_REMINDER_CLAIM_SECONDS} s), or a reminder could be sent twice."
    )

# The young person's self check-in (checkins app): how long a link stays valid, and the SMS
# provider. "console" prints messages (demo, development); "messagebird" sends through
# MessageBird's REST API with the access key, and checks the signature of delivery reports
# with the signing key (both from the MessageBird dashboard).
KWINT_CHECKIN_LINK_DAYS = env.int("KWINT_CHECKIN_LINK_DAYS", default=30)
KWINT_SMS_BACKEND = env.str("KWINT_SMS_BACKEND", default="console")
if KWINT_SMS_BACKEND not in {"console", "messagebird"}:
    raise ImproperlyConfigured(f"KWINT_SMS_BACKEND must be console or messagebird, not {KWINT_SMS_BACKEND!r}")
KWINT_SMS_ORIGINATOR = env.str("KWINT_SMS_ORIGINATOR", default="Kwint")
KWINT_SMS_MESSAGEBIRD_URL = env.str("KWINT_SMS_MESSAGEBIRD_URL", default="https://rest.messagebird.com").rstrip("/")
KWINT_SMS_MESSAGEBIRD_ACCESS_KEY = env.str("KWINT_SMS_MESSAGEBIRD_ACCESS_KEY", default="")
KWINT_SMS_MESSAGEBIRD_SIGNING_KEY = env.str("KWINT_SMS_MESSAGEBIRD_SIGNING_KEY", default="")
if KWINT_SMS_BACKEND == "messagebird" and not (KWINT_SMS_MESSAGEBIRD_ACCESS_KEY and KWINT_SMS_MESSAGEBIRD_SIGNING_KEY):
    raise ImproperlyConfigured(
        "KWINT_SMS_BACKEND=messagebird needs KWINT_SMS_MESSAGEBIRD_ACCESS_KEY and KWINT_SMS_MESSAGEBIRD_SIGNING_KEY."
    )

# Request size. Uploads (the school's yearly list) up to KWINT_MAX_UPLOAD_MB; any request body
# larger than that plus room for the form around it is refused unread (413, kwint.lib.security).
KWINT_MAX_UPLOAD_BYTES = env.int("KWINT_MAX_UPLOAD_MB", default=10) * 1024 * 1024
KWINT_MAX_REQUEST_BYTES = KWINT_MAX_UPLOAD_BYTES + 256 * 1024
# Form fields without files: Kwint's largest form is a few tens of kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Uploads above this are streamed to a temporary file instead of held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Kwint's own page (templates/403_csrf.html), and the refusal logged like any other 403.
CSRF_FAILURE_VIEW = "kwint.lib.security.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged once, by kwint.lib.security.RefusedRequestLogMiddleware (logger
    # kwint.security): Django's own records of it (with a traceback) are dropped.
    "filters": {"drop_forbidden": {"()": "kwint.lib.security.DropForbiddenRecords"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["drop_forbidden"]},
        "django.security.csrf": {"filters": ["drop_forbidden"]},
        "django.server": {"filters": ["drop_forbidden"]},
    },
}
