"""Production: secrets from the environment, HTTPS everywhere. Refuses to start with demo keys."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEMO_FIELD_KEY, DEMO_SECRET_KEY, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
HONGYIN_FIELD_KEYS = env.list("HONGYIN_FIELD_KEY")
if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")
if DEMO_FIELD_KEY in HONGYIN_FIELD_KEYS:
    raise ImproperlyConfigured("HONGYIN_FIELD_KEY must not be the demo key in production.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STATIC_ROOT = env.path("STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405  nginx serves it at /static/
# Persistent connections (one per gunicorn thread and huey worker thread), checked before reuse so a restarted
# PostgreSQL costs one failed check, not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)  # noqa: F405
LOGGING["root"]["level"] = "INFO"  # noqa: F405
HONGYIN_REFUSE_DEMO_USERS = True
