from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from hongyin.audit.models import AuditEvent
from hongyin.devtools.demo import demo_password

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_unknown_user_and_wrong_password_get_the_same_message(client):
    unknown = _login(client, "nobody-here", "Whatever1!")
    wrong = _login(client, "member", "Wrong-pass1")
    assert unknown.status_code == wrong.status_code == 400
    assert "用户名或密码不正确" in unknown.content.decode()
    assert "用户名或密码不正确" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="member").exists()


def test_right_password_reaches_workbench_with_a_new_session_id(client):
    client.get(reverse("accounts:login"))
    before = client.cookies.get("sessionid")
    response = _login(client, "member", demo_password())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:workbench")
    assert client.cookies["sessionid"].value != (before.value if before else None)
    page = client.get(reverse("accounts:workbench"))
    assert page.status_code == 200 and "工作台" in page.content.decode()
    assert AuditEvent.objects.filter(action="auth.login", actor_name="member").exists()


def test_two_factor_role_is_sent_to_the_otp_step(client):
    response = _login(client, "zone_admin", demo_password())
    assert response.status_code == 302
    assert client.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:otp_verify")


def test_sixth_login_with_right_password_is_refused_then_unlocked_after_30_minutes(client):
    start = timezone.now()
    with freeze_time(start):
        for _ in range(5):
            assert _login(client, "branch_secretary", "Wrong-pass1").status_code in (400, 403)
        locked = _login(client, "branch_secretary", demo_password())
        assert locked.status_code == 403
        assert "锁定" in locked.content.decode()
    with freeze_time(start + timedelta(minutes=31)):
        assert _login(client, "branch_secretary", demo_password()).status_code == 302


def test_logout_requires_post_and_ends_the_session(as_user):
    client = as_user("member")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:workbench")).status_code == 302


def test_absolute_timeout_after_12_hours(as_user):
    client = as_user("member")
    with freeze_time(timezone.now() + timedelta(hours=12, minutes=1)):
        response = client.get(reverse("accounts:workbench"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_expired_password_forces_the_change_page(as_user):
    from hongyin.accounts.models import User

    User.objects.filter(username="member").update(password_changed_at=timezone.now() - timedelta(days=91))
    client = as_user("member")
    assert client.get(reverse("accounts:workbench"))["Location"] == reverse("accounts:password_change")
