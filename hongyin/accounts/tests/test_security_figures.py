"""The security admin's figures are the counts of the lists it opens: the role list and the sign-in failures."""

import pytest
from django.test import Client
from django.urls import reverse

from hongyin.accounts.selectors import role_holders

pytestmark = pytest.mark.django_db


def _security_figures(client):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next(p for section in panels.values() for p in section if p["key"] == "security_figures")["figures"]


def test_each_security_figure_is_the_count_of_the_list_it_links_to(as_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):  # wrong passwords until the account locks, then a try while locked
        stranger.post(reverse("accounts:login"), {"username": "grid_officer", "password": "wrong-password-1"})
    client = as_user("security_admin")
    figures = _security_figures(client)
    assert [str(f[0]) for f in figures] == ["持有角色的账号", "24 小时登录失败", "24 小时锁定尝试"]
    assert figures[0][1] == role_holders().count()
    assert figures[1][1] >= 1 and figures[2][1] >= 1
    assert figures[1][1] + figures[2][1] >= 4
    for label, count, url in figures:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["page"].paginator.count == count, (str(label), url)
    failures = client.get(figures[1][2]).content.decode()
    assert "grid_officer" in failures and "203.0.113.7" in failures


def test_the_failures_page_refuses_other_admins_and_ignores_bad_filters(as_user):
    assert as_user("system_admin").get(reverse("accounts:sign_in_failures")).status_code == 403
    assert as_user("audit_admin").get(reverse("accounts:sign_in_failures")).status_code == 403
    page = as_user("security_admin").get(reverse("accounts:sign_in_failures"), {"hours": "x", "kind": "y"})
    assert page.status_code == 200
    assert page.context["hours"] == 24 and page.context["kind"] == ""
