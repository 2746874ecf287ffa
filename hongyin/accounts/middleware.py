"""Session policy of SECURITY.md, applied to every request of a signed-in user:

- absolute timeout (12 h from login); the idle timeout slides with SESSION_COOKIE_AGE + SESSION_SAVE_EVERY_REQUEST;
- a password that must change (first login, 90 days) sends the user to the change page;
- a role that requires two factors sends an unverified session to the OTP step.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from hongyin.common.roles import TWO_FACTOR_ROLES

LOGIN_AT = "hongyin_login_at"
ALWAYS_ALLOWED = ("/static/", "/i18n/", "/favicon.ico")


def needs_second_factor(user) -> bool:
    from django_otp import user_has_device

    return bool(user.roles & TWO_FACTOR_ROLES) or user.must_enroll_otp or user_has_device(user)


def pending_step(request) -> str | None:
    """The URL name the user must visit before anything else, or None when the session is complete."""
    user = request.user
    if needs_second_factor(user) and not user.is_verified():
        from django_otp import user_has_device

        return "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
    if user.password_expired():
        return "accounts:password_change"
    return None


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            login_at = request.session.get(LOGIN_AT)
            if login_at is None or time.time() - login_at > settings.HONGYIN_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("会话已过期，请重新登录。")}, status=401)
                # MessageMiddleware runs after this one, so the login page shows the notice from the query string.
                return redirect(reverse(settings.LOGIN_URL) + "?expired=1")
            step = pending_step(request)
            if step and not request.path.startswith(ALWAYS_ALLOWED):
                target = reverse(step)
                allowed = {target, reverse("accounts:logout")}
                if step == "accounts:otp_setup":
                    allowed.add(reverse("accounts:otp_qr"))
                if request.path not in allowed:
                    if request.path.startswith("/api/"):
                        return JsonResponse({"detail": _("请先完成登录步骤（修改密码或双因素认证）。")}, status=403)
                    if request.htmx:
                        response = JsonResponse({}, status=204)
                        response["HX-Redirect"] = target
                        return response
                    return redirect(target)
        return self.get_response(request)
