"""Security round two: the system admin cannot become anyone else (三权分立), credentials die with the password,
and the client address is believed only from a trusted proxy."""

import base64
import json
import time
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongyin.accounts import services
from hongyin.accounts.admin_site import AuditedAdminMixin
from hongyin.accounts.middleware import LOGIN_AT
from hongyin.accounts.models import ApiToken, User, UserSession
from hongyin.audit.models import AuditEvent
from hongyin.audit.services import verify_chain
from hongyin.common.middleware import request_ip
from hongyin.common.models import Notification
from hongyin.devtools.sessions import login_as
from hongyin.site.api import api

pytestmark = pytest.mark.django_db

ADMIN_ROLES = ("system_admin", "security_admin", "audit_admin")


def _u(name: str) -> User:
    return User.objects.get(username=name)


def _password_only_session(user: User) -> Client:
    """A session right after the password step, before any second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[LOGIN_AT] = time.time()
    session.save()
    return client


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- 1. the system admin cannot become anyone else ----------------------------------------------------------------


def test_no_second_factor_device_is_in_the_admin_and_no_page_or_api_shows_a_secret(demo):
    registered = {m._meta.app_label for m in admin.site._registry}
    assert not registered & {"otp_totp", "otp_static"}
    device = TOTPDevice.objects.get(user=_u("zone_admin"), confirmed=True)
    secret_b32 = base64.b32encode(device.bin_key).decode()
    sysadmin = login_as(Client(), "system_admin")
    for url in ("/admin/otp_totp/totpdevice/", f"/admin/otp_totp/totpdevice/{device.pk}/change/"):
        assert sysadmin.get(url).status_code == 404
    assert "otp_totp" not in sysadmin.get("/admin/").content.decode()
    spec = json.dumps(api.get_openapi_schema(path_prefix="/api/v1"))
    assert "totp" not in spec.lower() and "otpauth" not in spec
    for role in ADMIN_ROLES:
        client = login_as(Client(), role)
        for url in (
            reverse("accounts:user_list"),
            reverse("accounts:user_roles", args=[_u("zone_admin").pk]),
            "/api/v1/accounts/users?q=zone_admin",
        ):
            body = client.get(url).content.decode()
            assert device.key not in body and secret_b32 not in body and "otpauth" not in body


def test_the_admin_cannot_set_another_accounts_password(demo):
    sysadmin = login_as(Client(), "system_admin")
    target = _u("zone_admin")
    before = target.password
    url = f"/admin/accounts/user/{target.pk}/password/"
    assert sysadmin.get(url).status_code == 403
    response = sysadmin.post(url, {"password1": "Takeover-2026!", "password2": "Takeover-2026!"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.password == before


def test_a_privileged_password_reset_needs_the_security_admin_and_notifies_the_owner(demo):
    zone_admin = _u("zone_admin")
    refused = login_as(Client(), "system_admin").post(f"/api/v1/accounts/users/{zone_admin.pk}/reset-password")
    assert refused.status_code == 403
    page = login_as(Client(), "system_admin").post(reverse("accounts:user_reset_password", args=[zone_admin.pk]))
    assert page.status_code == 403 and not Notification.objects.filter(user=zone_admin, title__contains="密码").exists()
    for admin_account in ADMIN_ROLES:
        if admin_account != "system_admin":
            assert (
                login_as(Client(), "system_admin")
                .post(f"/api/v1/accounts/users/{_u(admin_account).pk}/reset-password")
                .status_code
                == 403
            )
    with django_capture_on_commit():
        ok = login_as(Client(), "security_admin").post(f"/api/v1/accounts/users/{zone_admin.pk}/reset-password")
    assert ok.status_code == 200 and ok.json()["one_time_password"]
    assert Notification.objects.filter(user=zone_admin, title__contains="密码").exists()
    event = AuditEvent.objects.filter(action="user.password_reset", object_id=str(zone_admin.pk)).last()
    assert event.actor.username == "security_admin" and event.details["privileged"] is True


def test_the_system_admin_still_resets_an_ordinary_account_and_its_owner_is_told(demo):
    member = _u("member")
    with django_capture_on_commit():
        ok = login_as(Client(), "system_admin").post(f"/api/v1/accounts/users/{member.pk}/reset-password")
    assert ok.status_code == 200
    assert Notification.objects.filter(user=member, title__contains="密码").exists()
    refused = login_as(Client(), "security_admin").post(f"/api/v1/accounts/users/{member.pk}/reset-password")
    assert refused.status_code == 403


def test_the_security_admin_resets_a_second_factor_and_the_owner_must_enrol_again(demo):
    zone_admin = _u("zone_admin")
    victim = login_as(Client(), "zone_admin")
    _token, raw = services.api_token_create(actor=zone_admin, name="t", scope="write")
    assert (
        login_as(Client(), "system_admin")
        .post(f"/api/v1/accounts/users/{zone_admin.pk}/reset-second-factor")
        .status_code
        == 403
    )
    page = login_as(Client(), "security_admin").get(reverse("accounts:user_roles", args=[zone_admin.pk]))
    assert 'data-testid="reset-second-factor"' in page.content.decode()
    with django_capture_on_commit():
        response = login_as(Client(), "security_admin").post(
            reverse("accounts:user_reset_second_factor", args=[zone_admin.pk])
        )
    assert response.status_code == 302
    zone_admin.refresh_from_db()
    assert zone_admin.must_enroll_otp
    assert not TOTPDevice.objects.filter(user=zone_admin).exists()
    assert not StaticDevice.objects.filter(user=zone_admin).exists()
    assert not UserSession.objects.filter(user=zone_admin).exists()
    assert victim.get(reverse("accounts:workbench")).status_code == 302  # the old session is gone
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401  # so is the token
    assert AuditEvent.objects.filter(action="auth.otp_reset", object_id=str(zone_admin.pk)).exists()
    assert Notification.objects.filter(user=zone_admin, title__contains="双因素").exists()
    fresh = _password_only_session(zone_admin)
    assert fresh.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:otp_setup")


def test_a_member_who_had_no_second_factor_must_enrol_after_a_reset(demo):
    member = _u("member")
    services.second_factor_reset(actor=_u("security_admin"), user=member)
    client = _password_only_session(member)
    assert client.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:otp_setup")


ADMIN_EXPECTED = {"system_admin": 200, "security_admin": 302, "audit_admin": 302}


def test_every_admin_model_as_each_admin_role(demo):
    """The system admin reads and changes configuration; the other two admins are not let into /admin/ at all."""
    models = list(admin.site._registry.items())
    assert models
    clients = {role: login_as(Client(), role) for role in ADMIN_ROLES}
    for model, model_admin in models:
        assert isinstance(model_admin, AuditedAdminMixin), model
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for role, client in clients.items():
            response = client.get(url)
            assert response.status_code == ADMIN_EXPECTED[role], (role, url, response.status_code)
    for role in ("zone_admin", "member"):
        assert login_as(Client(), role).get("/admin/").status_code == 302


# (method, path, the admin role allowed; the other two get 403)
API_OPERATIONS = [
    ("get", "/api/v1/accounts/users", "system_admin"),
    ("post", "/api/v1/accounts/users", "system_admin"),
    ("post", "/api/v1/accounts/users/{member}/active", "system_admin"),
    ("post", "/api/v1/accounts/users/{member}/reset-password", "system_admin"),
    ("post", "/api/v1/accounts/users/{zone_admin}/reset-password", "security_admin"),
    ("post", "/api/v1/accounts/users/{member}/reset-second-factor", "security_admin"),
    ("get", "/api/v1/accounts/roles", "security_admin"),
    ("post", "/api/v1/accounts/roles", "security_admin"),
]
API_BODIES = {
    "/api/v1/accounts/users": {"username": "walk_probe"},
    "/api/v1/accounts/users/{member}/active": {"active": True},
    "/api/v1/accounts/roles": {"user_id": "{grid_officer}", "role": "grid_officer"},
}


def test_every_accounts_api_operation_as_each_admin_role(demo):
    ids = {name: _u(name).pk for name in ("member", "zone_admin", "grid_officer")}
    documented = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    for method, template, allowed in API_OPERATIONS:
        generic = template.replace("{member}", "{user_id}").replace("{zone_admin}", "{user_id}")
        assert method in documented.get(generic, {}), template
        path = template.format(**ids)
        body = json.loads(
            json.dumps(API_BODIES.get(template, {})).replace('"{grid_officer}"', str(ids["grid_officer"]))
        )
        for role in ADMIN_ROLES:
            client = login_as(Client(), role)
            if method == "get":
                response = client.get(path)
            else:
                response = client.post(path, json.dumps(body), content_type="application/json")
            if role == allowed:
                assert response.status_code < 400 or response.status_code == 422, (role, path, response.content)
            else:
                assert response.status_code == 403, (role, path, response.status_code)


def test_a_change_in_the_admin_is_in_the_hash_chained_audit_log(demo):
    from hongyin.appeals_config.models import AppealCategory

    category = AppealCategory.objects.order_by("pk").first()
    client = login_as(Client(), "system_admin")
    url = reverse("admin:appeals_config_appealcategory_change", args=[category.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, bool) or v}
    data["accept_days"] = category.accept_days + 1
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.filter(action="admin.change", object_id=str(category.pk)).last()
    assert event is not None and event.actor.username == "system_admin"
    assert event.details["model"] == "appeals_config.appealcategory"
    _count, broken = verify_chain()
    assert broken is None


# --- 2. credentials die with the password -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["own_change", "reset", "disable", "re_enrol"])
def test_credentials_die_with_the_password(how, demo):
    owner = _u("branch_secretary")
    _token, raw = services.api_token_create(actor=owner, name="sync", scope="write")
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 200
    if how == "own_change":
        services.password_change(actor=owner, user=owner, new_password="Brand-new-pass9!")
    elif how == "reset":
        services.user_reset_password(actor=_u("system_admin"), user=owner)
    elif how == "disable":
        services.user_set_active(actor=_u("system_admin"), user=owner, active=False)
    else:
        first = TOTPDevice.objects.create(user=owner, name="a", confirmed=False)
        services.second_factor_enroll(user=owner, device=first)
        _token, raw = services.api_token_create(actor=owner, name="sync", scope="write")
        second = TOTPDevice.objects.create(user=owner, name="b", confirmed=False)
        services.second_factor_enroll(user=owner, device=second)
        assert StaticToken.objects.filter(device__user=owner).count() == services.RECOVERY_CODES
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401
    assert not ApiToken.objects.filter(user=owner, revoked_at__isnull=True).exists()


def test_a_token_expires_and_a_read_only_token_cannot_write(demo):
    owner = _u("system_admin")
    token, raw = services.api_token_create(actor=owner, name="reader", days=30)
    assert token.scope == "read" and timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert Client().get("/api/v1/accounts/users", **_bearer(raw)).status_code == 200
    refused = Client().post(
        "/api/v1/accounts/users", json.dumps({"username": "ro_probe"}), content_type="application/json", **_bearer(raw)
    )
    assert refused.status_code == 403 and "只读" in refused.json()["detail"]
    assert not User.objects.filter(username="ro_probe").exists()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/accounts/users", **_bearer(raw)).status_code == 401
    with pytest.raises(services.DomainError):
        services.api_token_create(actor=owner, name="too long", days=91)


def test_a_bearer_token_obeys_the_forced_password_change_and_the_90_day_rotation(demo):
    owner = _u("branch_secretary")
    _token, raw = services.api_token_create(actor=owner, name="sync")
    User.objects.filter(pk=owner.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = Client().get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 403 and "密码已过期" in response.json()["detail"]
    User.objects.filter(pk=owner.pk).update(password_changed_at=timezone.now(), must_change_password=True)
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 403


def test_the_tokens_page_creates_a_read_only_token_with_an_expiry(demo):
    client = login_as(Client(), "branch_secretary")
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert 'name="scope"' in page and 'name="days"' in page
    response = client.post(reverse("accounts:tokens"), {"name": "手机同步", "scope": "read", "days": "7"})
    assert response.status_code == 200 and 'data-testid="new-token"' in response.content.decode()
    token = ApiToken.objects.filter(user=_u("branch_secretary"), name="手机同步").get()
    assert token.scope == "read" and (token.expires_at - timezone.now()).days in (6, 7)
    bad = client.post(reverse("accounts:tokens"), {"name": "x", "scope": "read", "days": "abc"})
    assert bad.status_code == 400 and "请输入整数天数" in bad.content.decode()


# --- 6. trusted proxies only --------------------------------------------------------------------------------------


def _request(remote: str, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_proxy_headers_are_ignored_unless_the_peer_is_a_trusted_proxy():
    forged = {"HTTP_X_REAL_IP": "6.6.6.6", "HTTP_X_FORWARDED_FOR": "7.7.7.7"}
    assert request_ip(_request("203.0.113.9", **forged)) == "203.0.113.9"
    with override_settings(HONGYIN_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/24"]):
        assert request_ip(_request("127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")) == "198.51.100.7"
        chain = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.8, 10.0.0.5"}
        assert request_ip(_request("127.0.0.1", **chain)) == "198.51.100.8"
        assert request_ip(_request("127.0.0.1", HTTP_X_REAL_IP="not-an-ip")) == "127.0.0.1"
        assert request_ip(_request("203.0.113.9", **forged)) == "203.0.113.9"


@override_settings(HONGYIN_LOGIN_RATE_PER_MINUTE=3)
def test_rotating_the_forwarded_headers_does_not_dodge_the_login_limit_or_forge_the_audit(demo):
    cache.clear()
    client = Client()
    statuses = [
        client.post(
            reverse("accounts:login"),
            {"username": f"rot{i}", "password": "Wrong-pass1"},
            HTTP_X_REAL_IP=f"198.51.100.{i}",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        ).status_code
        for i in range(5)
    ]
    assert statuses[3:] == [429, 429]
    ips = set(AuditEvent.objects.filter(action="auth.login_failed").values_list("ip", flat=True))
    assert not any(str(ip).startswith(("198.51.100.", "192.0.2.")) for ip in ips if ip)
    cache.clear()


class django_capture_on_commit:
    """Run on_commit callbacks of the test's transaction (notifications are created on commit)."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)
