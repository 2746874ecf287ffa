"""Two factors (TOTP, django-otp): enrollment with a QR code and recovery codes, and the verification step."""

import base64

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongyin.audit import services as audit
from hongyin.audit.models import AuditResult
from hongyin.common.permissions import signed_in
from hongyin.common.roles import TWO_FACTOR_ROLES

from . import services
from .forms import OtpForm
from .models import UserSession


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


@require_http_methods(["GET", "POST"])
@signed_in
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = match_token(request.user, form.data.get("token", "").strip()) if form.is_valid() else None
        if device is not None:
            otp_login(request, device)
            audit.record(actor=request.user, action="auth.otp_verify")
            return redirect("accounts:workbench")
        audit.record(actor=request.user, action="auth.otp_failed", result=AuditResult.FAILURE)
        form.add_error("token", _("验证码不正确或已过期。"))
        status = 400
    return render(request, "accounts/otp_verify.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@signed_in
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = _pending_device(request.user)
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"].strip()):
            codes = services.second_factor_enroll(
                user=request.user, device=device, keep_session=request.session.session_key
            )
            otp_login(request, device)
            messages.success(request, _("双因素认证已启用。请妥善保存恢复码，每个只能使用一次。"))
            return render(request, "accounts/otp_recovery.html", {"codes": codes})
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
        status = 400
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": bool(request.user.roles & TWO_FACTOR_ROLES),
        },
        status=status,
    )


@signed_in
def otp_qr(request: HttpRequest) -> HttpResponse:
    device = _pending_device(request.user)
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return HttpResponse(svg, content_type="image/svg+xml")


@signed_in
def account_security(request: HttpRequest) -> HttpResponse:
    """The user's own security page: two factors (optional for most roles), recovery codes left, sessions."""
    user = request.user
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes_left = StaticToken.objects.filter(device__user=user, device__name="recovery").count()
    return render(
        request,
        "accounts/security.html",
        {
            "enrolled": enrolled,
            "required": bool(user.roles & TWO_FACTOR_ROLES),
            "codes_left": codes_left,
            "sessions": UserSession.objects.filter(user=user).order_by("-created_at")[:20],
        },
    )
