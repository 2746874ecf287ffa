"""/admin/ in the app's fonts, with translated app labels and a way back to the workbench."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_every_app_of_ours_has_a_translated_name():
    ours = [c for c in apps.get_app_configs() if c.name.startswith("hongyin.")]
    with translation.override("zh-hans"):
        zh = {c.label: str(c.verbose_name) for c in ours}
    with translation.override("en"):
        en = {c.label: str(c.verbose_name) for c in ours}
    untranslated = [label for label in zh if zh[label] == en[label] or not re.search(r"[\u4e00-\u9fff]", zh[label])]
    assert not untranslated, untranslated


def test_the_admin_uses_the_app_fonts_and_links_back_to_the_workbench(as_user):
    client = as_user("system_admin")
    body = client.get(reverse("admin:index")).content.decode()
    assert "vendor/noto-sans-sc/400.css" in body and "hongyin/css/admin.css" in body
    assert f'href="{reverse("accounts:workbench")}" data-testid="admin-back"' in body
    assert "账号与权限" in body and "红引 · 系统配置" in body

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("admin:index")).content.decode()
    assert "Accounts and roles" in body and "Back to the workbench" in body and "Hongyin · Configuration" in body
    assert "账号与权限" not in body


def test_role_assignments_are_grouped_by_user_with_a_grant_action(as_user, users):
    client = as_user("security_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("accounts:role_list")).content.decode()
    rows = re.findall(r'<tr data-testid="role-user">(.*?)</tr>', body, re.S)
    usernames = [re.search(r">([^<]+)</a>", row).group(1) for row in rows]
    assert usernames and len(usernames) == len(set(usernames))  # one row per user
    assert all('data-testid="grant-role"' in row and "Grant role" in row for row in rows)
    assert re.search(r"\d+ users?\b", body)

    # a user without any role yet is found by a search, to grant the first
    from hongyin.accounts.models import User

    User.objects.create_user("newcomer", password="x-Unused-123456")
    found = client.get(reverse("accounts:role_list"), {"q": "newcomer"}).content.decode()
    assert "newcomer" in found and "No role yet" in found and "1 user" in found
