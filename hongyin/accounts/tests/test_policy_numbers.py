"""Pages that state a number of the security policy read it from the settings, so changing a setting changes what
the login page, the password page and the policy page say (issue 10 item 9)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from hongyin.accounts.validators import PasswordHistoryValidator

pytestmark = pytest.mark.django_db

CONFIGURED = {
    "AXES_FAILURE_LIMIT": 4,
    "AXES_COOLOFF_TIME": timedelta(minutes=45),
    "HONGYIN_PASSWORD_HISTORY": 7,
    "AUTH_PASSWORD_VALIDATORS": [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 11}},
        {"NAME": "hongyin.accounts.validators.PasswordHistoryValidator"},
    ],
}


@override_settings(**CONFIGURED)
def test_the_login_page_and_the_lockout_message_state_the_configured_lockout(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "连续 4 次密码错误将锁定账号 45 分钟" in page
    for _attempt in range(4):
        client.post(reverse("accounts:login"), {"username": "zone_admin", "password": "wrong-Password-1"})
    locked = client.post(reverse("accounts:login"), {"username": "zone_admin", "password": "wrong-Password-1"})
    assert locked.status_code == 403
    assert "账号已锁定 45 分钟" in locked.content.decode()


@override_settings(**CONFIGURED)
def test_the_password_page_states_the_configured_length_and_history(as_user):
    page = as_user("member").get(reverse("accounts:password_change")).content.decode()
    assert "至少 11 位" in page and "不能与最近 7 次密码相同" in page
    assert "7" in PasswordHistoryValidator().get_help_text()


@override_settings(**CONFIGURED)
def test_the_policy_page_states_the_configured_numbers(as_user):
    page = as_user("security_admin").get(reverse("accounts:security_policy")).content.decode()
    assert ">11<" in page.replace(" ", "").replace("\n", "")
    assert "不得与最近 7 次相同" in page and "4 次失败后锁定 45 分钟" in page
