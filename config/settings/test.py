"""The test suite: fast hashing, immediate jobs, N+1 detection."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, VAR_DIR, env, instrumented

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "hongyin.accounts.hashers.PBKDF2SM3PasswordHasher"]
HUEY = {"huey_class": "huey.MemoryHuey", "name": "hongyin-test", "immediate": True}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]
ZEAL_RAISE = True
ZEAL_ALLOWLIST = [{"model": "otp_*"}]
MEDIA_ROOT = VAR_DIR / "test-media"
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HONGYIN_API_RATE_PER_MINUTE = 100000
HONGYIN_LOGIN_RATE_PER_MINUTE = 100000
DATABASES = {"default": instrumented(env.db("DATABASE_URL", default="sqlite:///:memory:"))}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "jobs": {"BACKEND": "hongyin.jobs.storage.JobFileStorage"},  # under PRIVATE_MEDIA_ROOT/jobs
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
