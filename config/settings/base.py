"""Settings shared by every environment. Environment variables are read with django-environ."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEMO_SECRET_KEY = "demo-insecure-key-do-not-use-in-production-0123456789"
DEMO_FIELD_KEY = "1:00112233445566778899aabbccddeeff"
SECRET_KEY = env("SECRET_KEY", default=DEMO_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "hongyin.accounts.admin_site.HongyinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "treebeard",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "ninja",
    "django_prometheus",
    "hongyin.common",
    "hongyin.accounts",
    "hongyin.audit",
    "hongyin.workflows",
    "hongyin.directory",
    "hongyin.orgs",
    "hongyin.members",
    "hongyin.development",
    "hongyin.transfers",
    "hongyin.dues",
    "hongyin.orglife",
    "hongyin.points",
    "hongyin.checkup",
    "hongyin.activities",
    "hongyin.learning",
    "hongyin.quizzes",
    "hongyin.enterprises",
    "hongyin.grid",
    "hongyin.appeals",
    "hongyin.appeals_config",
    "hongyin.policies",
    "hongyin.matching",
    "hongyin.roadshows",
    "hongyin.finance",
    "hongyin.notifications",
    "hongyin.jobs",
    "hongyin.imports",
    "hongyin.api",
    "hongyin.site",
    "hongyin.devtools",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first: times the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hongyin.common.language.LanguageMiddleware",  # the user's choice or the cookie, else zh-hans (not the browser)
    "hongyin.common.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hongyin.common.middleware.RequestContextMiddleware",
    "hongyin.common.middleware.NotFoundMiddleware",  # a service's NotFound answers 404
    "hongyin.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # last: latency and status by view
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hongyin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "hongyin.common.context_processors.shell",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hongyin.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # threads=2: SQLite may sort with a helper thread (zone-wide statistics group 50,000 rows: about 8% faster)
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
        "PRAGMA threads=2;",
        "transaction_mode": "IMMEDIATE",
    }


def instrumented(database: dict) -> dict:
    """django-prometheus's wrapper of the same backend: counts queries, their time and errors (same vendor)."""
    database["ENGINE"] = database["ENGINE"].replace("django.db.backends.", "django_prometheus.db.backends.", 1)
    if database["ENGINE"].endswith(".sqlite3"):
        # Django's default test database, said aloud: pytest-django recognises SQLite by the ENGINE string only, and
        # would otherwise give each xdist worker a database file.
        database.setdefault("TEST", {}).setdefault("NAME", ":memory:")
    return database


DATABASES["default"] = instrumented(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "hongyin.accounts.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "hongyin.accounts.validators.CharacterClassValidator"},
    {"NAME": "hongyin.accounts.validators.NoUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "hongyin.accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"

# Security policy (SECURITY.md); every number is a setting.
HONGYIN_PASSWORD_MAX_AGE_DAYS = env.int("HONGYIN_PASSWORD_MAX_AGE_DAYS", default=90)
HONGYIN_PASSWORD_HISTORY = 5
HONGYIN_SESSION_IDLE_SECONDS = 30 * 60
HONGYIN_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
HONGYIN_AUDIT_RETENTION_DAYS = env.int("HONGYIN_AUDIT_RETENTION_DAYS", default=180)
HONGYIN_FIELD_KEYS = env.list("HONGYIN_FIELD_KEY", default=[DEMO_FIELD_KEY])
HONGYIN_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
HONGYIN_API_RATE_PER_MINUTE = env.int("HONGYIN_API_RATE_PER_MINUTE", default=600)
# API tokens expire after this many days (a new token may ask for less).
HONGYIN_API_TOKEN_DAYS = env.int("HONGYIN_API_TOKEN_DAYS", default=90)
HONGYIN_LOGIN_RATE_PER_MINUTE = env.int("HONGYIN_LOGIN_RATE_PER_MINUTE", default=30)
# Proxies whose X-Real-IP / X-Forwarded-For are believed (addresses or networks); empty: the socket address only.
HONGYIN_TRUSTED_PROXIES = env.list("HONGYIN_TRUSTED_PROXIES", default=[])
# Nobody reads a TOTP secret after enrolment (the device admins are not registered either: accounts.admin_site).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hongyin.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = 0

SESSION_COOKIE_AGE = HONGYIN_SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # study videos play from the zone's own intranet video hosts (HONGYIN_VIDEO_HOSTS), never from the internet
        "media-src": ["'self'", *env.list("HONGYIN_VIDEO_HOSTS", default=["http://video.intranet"])],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "hongyin" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "hongyin" / "static"]
MEDIA_ROOT = env.path("HONGYIN_MEDIA_ROOT", default=str(VAR_DIR / "media"))
PRIVATE_MEDIA_ROOT = env.path("HONGYIN_PRIVATE_ROOT", default=str(VAR_DIR / "private"))

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "hongyin", "url": REDIS_URL, "immediate": False}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "hongyin",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hongyin_cache",
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "hongyin.common.logging.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

NINJA_PAGINATION_PER_PAGE = 50

# Lockout is per account (SECURITY.md); per-IP throttling is the login rate limit (hongyin.common.ratelimit).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # job result files (hongyin/jobs/storage.py): a folder every server mounts, or an S3-compatible backend
    "jobs": {
        "BACKEND": "hongyin.jobs.storage.JobFileStorage",
        "OPTIONS": {"location": env("HONGYIN_JOBS_ROOT", default=None)},
    },
}
# A RUNNING job whose heartbeat (progress writes) is older than this is taken for dead (its worker stopped).
HONGYIN_JOB_STALE_SECONDS = env.int("HONGYIN_JOB_STALE_SECONDS", default=300)

# Operations (docs/deployment.md): /readyz fails when the oldest queued job waited longer than this (0: never),
# or when a folder for uploaded files has less free space than this.
HONGYIN_READY_QUEUE_MAX_AGE_SECONDS = env.int("HONGYIN_READY_QUEUE_MAX_AGE_SECONDS", default=3600)
HONGYIN_READY_MIN_FREE_MB = env.int("HONGYIN_READY_MIN_FREE_MB", default=1024)
# /metrics answers these addresses or networks (the client address as hongyin.common.middleware.request_ip reads
# it), or a request with `Authorization: Bearer <HONGYIN_METRICS_TOKEN>`; anyone else gets a 404.
HONGYIN_METRICS_ALLOWED_IPS = env.list("HONGYIN_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
HONGYIN_METRICS_TOKEN = env("HONGYIN_METRICS_TOKEN", default="")
