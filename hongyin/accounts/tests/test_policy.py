"""SECURITY.md "Identity": password rules, forced changes, lockout audit, idle/absolute timeouts, ending sessions."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from hongyin.accounts import services
from hongyin.accounts.models import User, UserSession
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.devtools.demo import demo_password
from hongyin.devtools.factories import UserFactory
from hongyin.orgs.models import Organization

pytestmark = pytest.mark.django_db

GOOD = "Gz#7kq-Lw2"


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _new_user(username="alice01", password=GOOD, must_change=True) -> User:
    branch = Organization.objects.filter(kind="branch").order_by("path").first()
    return UserFactory(
        username=username, password=password, must_change_password=must_change, role="member", scope={"org": branch}
    )


@pytest.mark.parametrize(
    "password,part",
    [
        ("Ab1!xyz", "8"),  # too short (Django's message names the minimum length)
        ("abcdefgh12", "三类"),  # two classes
        ("Xalice01yz!", "用户名"),
        ("Password1", "常见"),
    ],
)
def test_password_rules(password, part):
    with pytest.raises(DomainError) as info:
        _new_user(password=password)
    assert part in info.value.message or (part == "常见" and "common" in info.value.message.lower())
    assert not User.objects.filter(username="alice01").exists()


def test_none_of_the_last_five_passwords_may_be_reused():
    user = _new_user(must_change=False)
    passwords = [GOOD] + [f"Gz#7kq-Lw{i}x" for i in range(3, 8)]  # 6 in all
    for pw in passwords[1:]:
        services.password_change(actor=user, user=user, new_password=pw)
    for recent in passwords[2:]:  # the current one and the four before it
        with pytest.raises(DomainError) as info:
            services.password_change(actor=user, user=user, new_password=recent)
        assert "最近 5 次" in info.value.message
    services.password_change(actor=user, user=user, new_password=passwords[0])  # the sixth back is allowed again
    user.refresh_from_db()
    assert user.check_password(passwords[0])
    assert AuditEvent.objects.filter(action="user.password_change", object_id=str(user.pk)).count() == 6


def test_first_login_forces_a_password_change_then_opens_the_workbench(client):
    _new_user()
    assert _login(client, "alice01", GOOD).status_code == 302
    assert client.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:password_change")
    assert client.get("/api/v1/me").status_code in (401, 403)
    new = "Nq!8vz-Pt4"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": GOOD, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:workbench")).status_code == 200
    assert not User.objects.get(username="alice01").must_change_password


def test_password_older_than_90_days_forces_a_change(client):
    user = _new_user(must_change=False)
    assert _login(client, "alice01", GOOD).status_code == 302
    assert client.get(reverse("accounts:workbench")).status_code == 200
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=90))
    assert client.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:password_change")


def test_every_failure_and_the_lockout_are_audited_with_one_message(client):
    start = timezone.now()
    with freeze_time(start):
        for _ in range(5):
            response = _login(client, "member", "Wrong-pass1")
        failures = AuditEvent.objects.filter(actor_name="member", action__in=["auth.login_failed", "auth.lockout"])
        assert failures.count() == 5
        locked = _login(client, "member", demo_password())
        assert locked.status_code == 403 and "锁定" in locked.content.decode()
        assert AuditEvent.objects.filter(actor_name="member", action="auth.lockout").exists()
        # the lockout is per account: another account from the same address still logs in
        assert _login(Client(), "chain_admin", demo_password()).status_code == 302
        # an unknown user gets the same message as a wrong password
        unknown = _login(Client(), "no-such-user", "Wrong-pass1").content.decode()
        wrong = _login(Client(), "building_admin", "Wrong-pass1").content.decode()
        assert "用户名或密码不正确" in unknown and "用户名或密码不正确" in wrong
    assert response.status_code in (400, 403)
    with freeze_time(start + timedelta(minutes=29)):
        assert _login(client, "member", demo_password()).status_code == 403
    with freeze_time(start + timedelta(minutes=29 + 31)):
        assert _login(client, "member", demo_password()).status_code == 302


def test_idle_timeout_slides_and_ends_after_30_minutes(as_user):
    start = timezone.now()
    with freeze_time(start):
        client = as_user("member")
    for minutes in (25, 50, 75):  # each request inside 30 minutes pushes the expiry on
        with freeze_time(start + timedelta(minutes=minutes)):
            assert client.get(reverse("accounts:workbench")).status_code == 200
    with freeze_time(start + timedelta(minutes=75 + 31)):
        response = client.get(reverse("accounts:workbench"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_absolute_timeout_even_when_active(as_user):
    start = timezone.now()
    with freeze_time(start):
        client = as_user("member")
    minutes = 0
    while minutes < 12 * 60 - 20:
        minutes += 25
        with freeze_time(start + timedelta(minutes=minutes)):
            assert client.get(reverse("accounts:workbench")).status_code == 200
    with freeze_time(start + timedelta(hours=12, minutes=1)):
        response = client.get(reverse("accounts:workbench"))
    assert response.status_code == 302 and "expired=1" in response["Location"]
    assert "会话已过期" in client.get(response["Location"]).content.decode()


def test_login_records_the_session_and_disabling_ends_every_session(as_user):
    first, second = as_user("member"), as_user("member")
    user = User.objects.get(username="member")
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    assert len(keys) >= 2 and Session.objects.filter(session_key__in=keys).count() == len(keys)
    admin = User.objects.get(username="system_admin")
    services.user_set_active(actor=admin, user=user, active=False)
    assert not Session.objects.filter(session_key__in=keys).exists()
    for client in (first, second):
        assert client.get(reverse("accounts:workbench")).status_code == 302
    assert AuditEvent.objects.filter(action="user.disable", object_id=str(user.pk)).exists()


def test_password_change_ends_the_other_sessions_but_keeps_this_one(client):
    _new_user(must_change=False)
    other = Client()
    assert _login(other, "alice01", GOOD).status_code == 302
    assert _login(client, "alice01", GOOD).status_code == 302
    new = "Nq!8vz-Pt4"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": GOOD, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:workbench")).status_code == 200
    assert other.get(reverse("accounts:workbench")).status_code == 302


def test_wrong_old_password_and_mismatch_are_refused(client):
    _new_user(must_change=False)
    _login(client, "alice01", GOOD)
    bad = client.post(
        reverse("accounts:password_change"), {"old_password": "nope", "new_password": "Nq!8vz-Pt4", "confirm": "x"}
    )
    assert bad.status_code == 400
    assert User.objects.get(username="alice01").check_password(GOOD)
