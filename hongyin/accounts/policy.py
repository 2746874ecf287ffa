"""The numbers of the security policy (SECURITY.md) as the settings give them, for the pages that state them."""

from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators


def password_min_length() -> int:
    """The minimum length of AUTH_PASSWORD_VALIDATORS' MinimumLengthValidator (0: none configured)."""
    lengths = [v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    return max(lengths, default=0)


def lockout_attempts() -> int:
    return settings.AXES_FAILURE_LIMIT


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def numbers() -> dict:
    """What the login and password pages say: the length, the history, the lockout."""
    return {
        "password_min_length": password_min_length(),
        "password_history": settings.HONGYIN_PASSWORD_HISTORY,
        "lockout_attempts": lockout_attempts(),
        "lockout_minutes": lockout_minutes(),
    }
