"""The enterprise contact's policy figures are the received-policies list's own counts, each linking to it."""

import pytest
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.policies.models import Policy, PolicyPush
from hongyin.policies.selectors import pushes_for_user
from hongyin.policies.services import policy_push

pytestmark = pytest.mark.django_db


def _portal_figures(client):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next(p for section in panels.values() for p in section if p["key"] == "portal_todo")["figures"]


def _push_three(contact):
    own = [a.enterprise_id for a in contact.assignments if a.enterprise_id]
    zone = User.objects.get(username="zone_admin")
    for policy in Policy.objects.order_by("pk")[:3]:
        policy_push(actor=zone, policy=policy, enterprise_ids=own)


def test_each_policy_figure_is_the_count_of_the_list_it_links_to(as_user):
    contact = User.objects.get(username="enterprise_contact")
    _push_three(contact)
    mine = pushes_for_user(contact)
    assert mine.count() >= 3
    mine.filter(pk=mine.first().pk).update(read_at=None)
    client = as_user("enterprise_contact")
    figures = _portal_figures(client)
    assert [str(f[0]) for f in figures] == ["未读政策推送", "收到的政策"]
    for label, count, url in figures:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["page"].paginator.count == count, (str(label), url)
        assert len(page.context["page"].object_list) == min(count, 30)
    assert figures[0][1] >= 1
    shown = client.get(figures[0][2])
    assert 'value="unread" selected' in shown.content.decode(), "the filter shows as chosen"


def test_the_list_shows_only_the_contacts_own_enterprise(as_user):
    contact = User.objects.get(username="enterprise_contact")
    _push_three(contact)
    own = {a.enterprise_id for a in contact.assignments if a.enterprise_id}
    other = PolicyPush.objects.exclude(enterprise_id__in=own).select_related("policy").first()
    page = as_user("enterprise_contact").get(reverse("policies:received"), {"state": "nonsense"})
    assert page.status_code == 200
    assert {p.enterprise_id for p in page.context["page"].object_list} <= own
    assert page.context["page"].paginator.count == pushes_for_user(contact).count()
    if other is not None and not PolicyPush.objects.filter(policy=other.policy, enterprise_id__in=own).exists():
        assert other.policy.title not in page.content.decode()


def test_only_an_enterprise_contact_opens_the_list(as_user):
    assert as_user("zone_admin").get(reverse("policies:received")).status_code == 403
