"""三权分立 (separation of admin roles) in services, pages and the API; two-factor enrollment."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongyin.accounts import services
from hongyin.accounts.models import RoleAssignment, User
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError

pytestmark = pytest.mark.django_db


def _u(name):
    return User.objects.get(username=name)


def test_create_admins_prints_one_time_passwords_and_forces_a_change(capsys):
    call_command("create_admins", prefix="t_")
    out = capsys.readouterr().out
    for name, role in [
        ("t_sysadmin", "system_admin"),
        ("t_secadmin", "security_admin"),
        ("t_auditadmin", "audit_admin"),
    ]:
        user = _u(name)
        assert user.must_change_password and user.roles == {role}
        password = out.split(f"{name} (")[1].split("one-time password ")[1].split()[0]
        assert user.check_password(password)
    call_command("create_admins", prefix="t_")
    assert "exists, unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    "holder,role",
    [("system_admin", "audit_admin"), ("audit_admin", "member"), ("member", "security_admin")],
)
def test_role_grant_refuses_mixing_admin_roles(holder, role, demo):
    scope = {"org": demo.root} if role == "member" else {}
    with pytest.raises(DomainError) as info:
        services.role_grant(actor=_u("security_admin"), user=_u(holder), role=role, **scope)
    assert "三权分立" in info.value.message


def test_only_the_right_admin_may_call_each_service(demo):
    member = _u("member")
    for actor in ("system_admin", "audit_admin", "zone_admin"):
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=_u(actor), user=member, role="member", org=demo.root)
    for actor in ("security_admin", "audit_admin", "zone_admin"):
        with pytest.raises(PermissionDenied):
            services.user_set_active(actor=_u(actor), user=member, active=False)
        with pytest.raises(PermissionDenied):
            services.user_reset_password(actor=_u(actor), user=member)
    with pytest.raises(DomainError):
        services.role_grant(actor=_u("security_admin"), user=_u("security_admin"), role="member", org=demo.root)
    assert _u("member").is_active


PAGES = {
    "system_admin": ["accounts:user_list", "admin:index"],
    "security_admin": ["accounts:role_list", "accounts:security_policy"],
    "audit_admin": ["audit:list"],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_each_admin_sees_only_its_own_pages(as_user, role):
    client = as_user(role)
    for other, names in PAGES.items():
        for name in names:
            status = client.get(reverse(name)).status_code
            if other == role:
                assert status == 200, name
            else:
                assert status in (302, 403), (role, name, status)
    # no business data: the organization tree and the global search are closed to every admin
    assert client.get(reverse("orgs:tree")).status_code == 403
    assert client.get("/api/v1/orgs/roots").status_code == 403


def test_system_admin_creates_disables_and_resets_through_the_pages(as_user):
    client = as_user("system_admin")
    response = client.post(reverse("accounts:user_list"), {"username": "newbie", "display_name": "新人"})
    assert response.status_code == 200
    password = response.content.decode().split('data-testid="one-time-password">')[1].split("<")[0]
    newbie = _u("newbie")
    assert newbie.check_password(password) and newbie.must_change_password
    assert client.post(reverse("accounts:user_list"), {"username": "newbie"}).status_code == 400  # duplicate
    client.post(reverse("accounts:user_set_active", args=[newbie.pk]), {"active": "0"})
    assert not _u("newbie").is_active
    response = client.post(reverse("accounts:user_reset_password", args=[newbie.pk]))
    assert response.status_code == 200 and not _u("newbie").check_password(password)
    actions = set(AuditEvent.objects.filter(object_id=str(newbie.pk)).values_list("action", flat=True))
    assert {"user.create", "user.disable", "user.password_reset"} <= actions


def test_security_admin_grants_and_revokes_with_a_scope_picker(as_user, demo):
    client = as_user("security_admin")
    target = services.user_create(actor=None, username="grantee", password="Gz#7kq-Lw2")
    url = reverse("accounts:user_roles", args=[target.pk])
    assert client.post(url, {"role": "member"}).status_code == 400  # no scope
    assert client.post(url, {"role": "member", "org": demo.root.pk}).status_code == 302
    assignment = RoleAssignment.objects.get(user=target)
    assert assignment.org_id == demo.root.pk
    refused = client.post(url, {"role": "audit_admin"})
    assert refused.status_code == 400 and "三权分立" in refused.content.decode()
    client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(action="role.revoke", object_id=str(target.pk)).exists()


def test_accounts_api_follows_the_same_separation(as_user, demo):
    sysadmin, secadmin = as_user("system_admin"), as_user("security_admin")
    created = sysadmin.post("/api/v1/accounts/users", {"username": "apiuser"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["one_time_password"]
    user_id = created.json()["user"]["id"]
    assert (
        secadmin.post("/api/v1/accounts/users", {"username": "x2"}, content_type="application/json").status_code == 403
    )
    assert sysadmin.get("/api/v1/accounts/roles").status_code == 403
    grant = {"user_id": user_id, "role": "member", "org_id": demo.root.pk}
    assert sysadmin.post("/api/v1/accounts/roles", grant, content_type="application/json").status_code == 403
    granted = secadmin.post("/api/v1/accounts/roles", grant, content_type="application/json")
    assert granted.status_code == 201
    bad = secadmin.post(
        "/api/v1/accounts/roles", {"user_id": user_id, "role": "system_admin"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "三权分立" in bad.json()["detail"]
    assert secadmin.delete(f"/api/v1/accounts/roles/{granted.json()['id']}").status_code == 204
    assert (
        sysadmin.post(
            f"/api/v1/accounts/users/{user_id}/active", json.dumps({"active": False}), content_type="application/json"
        ).json()["is_active"]
        is False
    )
    assert as_user("audit_admin").get("/api/v1/accounts/users").status_code == 403


def test_optional_two_factor_enrollment_with_qr_and_single_use_recovery_codes(as_user):
    client = as_user("member")
    page = client.get(reverse("accounts:account_security"))
    assert page.status_code == 200 and 'data-testid="enable-2fa"' in page.content.decode()
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    qr = client.get(reverse("accounts:otp_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user__username="member", confirmed=False)
    assert client.post(reverse("accounts:otp_setup"), {"token": "000000"}).status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # django-otp throttles retries
    response = client.post(reverse("accounts:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 200
    codes = [c for c in StaticToken.objects.filter(device__user__username="member").values_list("token", flat=True)]
    assert len(codes) == 8 and all(c in response.content.decode() for c in codes)
    # now the second factor is required for this member too
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"username": "member", "password": _demo_password()})
    assert fresh.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:otp_verify")
    assert fresh.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 302
    assert fresh.get(reverse("accounts:workbench")).status_code == 200
    again = Client()
    again.post(reverse("accounts:login"), {"username": "member", "password": _demo_password()})
    assert again.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 400  # single use
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor_name="member").exists()


def test_two_factor_is_required_for_the_four_roles(client):
    for username in ("system_admin", "security_admin", "audit_admin", "zone_admin"):
        c = Client()
        c.post(reverse("accounts:login"), {"username": username, "password": _demo_password()})
        assert c.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:otp_verify"), username
        assert c.get("/api/v1/me").status_code in (401, 403)
    c = Client()
    c.post(reverse("accounts:login"), {"username": "chain_admin", "password": _demo_password()})
    assert c.get(reverse("accounts:workbench")).status_code == 200


def _demo_password():
    from hongyin.devtools.demo import demo_password

    return demo_password()
