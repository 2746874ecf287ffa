import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from hongyin.audit import services as audit
from hongyin.audit.models import AuditResult
from hongyin.common.errors import DomainError
from hongyin.common.middleware import request_ip
from hongyin.common.permissions import public, require_perm, signed_in
from hongyin.common.ratelimit import over_limit
from hongyin.common.workbench import panels_for

from . import policy, services
from .forms import LoginForm, PasswordChangeForm, TokenCreateForm
from .middleware import LOGIN_AT
from .selectors import tokens_of

BAD_CREDENTIALS = gettext_noop("用户名或密码不正确。")
LOCKED = gettext_noop("登录失败次数过多，账号已锁定 %(m)d 分钟，请稍后再试或联系安全管理员。")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return settings.LOGIN_REDIRECT_URL


def _login_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    return render(request, "accounts/login.html", {**policy.numbers(), **context}, status=status)


def _locked_message() -> str:
    return _(LOCKED) % {"m": policy.lockout_minutes()}


def locked_out(request, response=None, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this for a request on a locked account."""
    form = LoginForm(request.POST or None)
    return _login_page(request, {"form": form, "error": _locked_message()}, status=403)


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "GET":
        notice = _("会话已过期，请重新登录。") if request.GET.get("expired") else None
        return _login_page(request, {"form": form, "next": request.GET.get("next", ""), "error": notice})
    if over_limit(f"login:{request_ip(request)}", settings.HONGYIN_LOGIN_RATE_PER_MINUTE):
        return _login_page(request, {"form": form, "error": _("请求过于频繁，请稍后再试。")}, status=429)
    if not form.is_valid():
        return _login_page(request, {"form": form}, status=400)
    username = form.cleaned_data["username"].strip()
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        locked = getattr(request, "axes_locked_out", False)
        audit.record(
            action="auth.lockout" if locked else "auth.login_failed",
            actor_name=username[:150],
            result=AuditResult.DENIED if locked else AuditResult.FAILURE,
        )
        return _login_page(
            request,
            {"form": form, "error": _locked_message() if locked else _(BAD_CREDENTIALS)},
            status=403 if locked else 400,
        )
    login(request, user)  # cycles the session key
    request.session[LOGIN_AT] = time.time()
    audit.record(actor=user, action="auth.login")
    return redirect(_safe_next(request))


@require_POST
@signed_in
def logout_view(request: HttpRequest) -> HttpResponse:
    audit.record(actor=request.user, action="auth.logout")
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect(settings.LOGIN_URL)


@require_http_methods(["GET", "POST"])
@signed_in
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.password_change(
                    actor=request.user,
                    user=request.user,
                    new_password=form.cleaned_data["new_password"],
                    old_password=form.cleaned_data["old_password"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else "new_password", exc.message)
            else:
                verified = getattr(request.user, "otp_device", None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                request.session[LOGIN_AT] = time.time()
                if verified is not None:
                    from django_otp import login as otp_login

                    otp_login(request, verified)
                messages.success(request, _("密码已修改，其他设备上的会话已全部退出。"))
                return redirect(settings.LOGIN_REDIRECT_URL)
        status = 400
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": request.user.password_expired(), **policy.numbers()},
        status=status,
    )


@require_perm("shell.use")
def workbench(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/workbench.html", {"panels": panels_for(request.user)})


@require_http_methods(["GET", "POST"])
@require_perm("api.tokens")
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    raw = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, raw = services.api_token_create(actor=request.user, **form.cleaned_data)
                form = TokenCreateForm()
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else "name", exc.message)
                status = 400
        else:
            status = 400
    return render(
        request, "accounts/tokens.html", {"form": form, "raw": raw, "tokens": tokens_of(request.user)}, status=status
    )


@require_POST
@require_perm("api.tokens")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    token = get_object_or_404(tokens_of(request.user), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:tokens")
