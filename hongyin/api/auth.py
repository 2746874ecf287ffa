"""API authentication: the browser's session (with CSRF) or a personal bearer token (stored hashed)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from hongyin.accounts.middleware import pending_step
from hongyin.accounts.models import ApiToken, TokenScope
from hongyin.common.middleware import request_ip
from hongyin.common.ratelimit import over_limit


class RateLimited(Exception):
    pass


class TokenRefused(Exception):
    """A valid token that may not do this now: a clear 403 that says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _rate(request, who: str) -> None:
    if over_limit(f"api:{who}", settings.HONGYIN_API_RATE_PER_MINUTE):
        raise RateLimited


class SessionAuth(APIKeyCookie):
    """Ninja checks CSRF for cookie auth (csrf=True)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # No session cookie: nothing to authenticate, so no CSRF verdict either (the caller gets 401, not 403).
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        if key and user.is_authenticated and pending_step(request) is None:
            _rate(request, f"u{user.pk}")
            return user
        return None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        now = timezone.now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .filter(expires_at__gt=now)
            .first()
        )
        if found is None:
            _rate(request, f"ip{request_ip(request)}")
            return None
        _rate(request, f"u{found.user_id}")
        # The same rules as the browser: a password that must change stops the token too.
        if found.user.password_expired():
            raise TokenRefused(_("密码已过期或须在首次登录时修改：请先在网页上修改密码，再使用 API 令牌。"))
        if found.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise TokenRefused(_("该令牌为只读令牌，不能修改数据。请创建一个读写令牌。"))
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


# The bearer token first: a client that sends one needs no CSRF token (browsers never add that header cross-site).
API_AUTH = [TokenAuth(), SessionAuth(csrf=True)]
