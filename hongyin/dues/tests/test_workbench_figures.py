"""Dues figures on the workbench: the arrears to-dos count the arrears list they link to; a member sees its own
standing (branch, paid up to, arrears), the same as its dues page, and no organization counts (issue 11 item 4)."""

import pytest
from django.urls import reverse

from hongyin.dues.selectors import my_standing

pytestmark = pytest.mark.django_db


def _panel(client, key):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next((p for section in panels.values() for p in section if p["key"] == key), None)


@pytest.mark.parametrize("username", ["zone_admin", "building_admin", "branch_secretary"])
def test_arrears_figures_are_the_counts_of_the_lists_they_link_to(as_user, username):
    client = as_user(username)
    items = _panel(client, "dues_arrears")["items"]
    for label, value, url, _danger in items:
        page = client.get(url)
        assert page.context["page"].paginator.count == value, (username, str(label), url)
    three_to_five, six = items[0][1], items[1][1]
    at_least_three = client.get(reverse("dues:arrears"), {"months": 3}).context["page"].paginator.count
    assert three_to_five + six == at_least_three


def test_a_member_sees_its_own_standing_not_organization_counts(as_user):
    from hongyin.accounts.models import User

    client = as_user("member")
    assert _panel(client, "org_figures") is None
    panel = _panel(client, "my_dues")
    standing = panel["standing"]
    user = User.objects.get(username="member")
    assert standing["member"].user_id == user.pk
    assert standing["branch"] == standing["member"].org
    page = client.get(panel["url"])
    assert page.context["standing"] == my_standing(user=user) == standing
    body = client.get(reverse("accounts:workbench")).content.decode()
    paid = standing["paid_until"].strftime("%Y-%m") if standing["paid_until"] else "—"
    assert f'data-figure="paid_until">{paid}<' in body
    assert standing["branch"].name in body
    assert f'href="{reverse("dues:mine")}"' in body
    assert f'data-figure="paid_until">{paid}<' in page.content.decode()


@pytest.mark.parametrize("username", ["zone_admin", "branch_secretary"])
def test_party_roles_keep_the_organization_figures_with_a_link(as_user, username):
    panel = _panel(as_user(username), "org_figures")
    assert [f[2] for f in panel["figures"]] == [reverse("orgs:tree")] * 2
    assert _panel(as_user(username), "my_dues") is None
