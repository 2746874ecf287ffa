"""Appeals follow the enterprises (issue 10, item 6): whoever serves an enterprise sees its appeals. A building or
chain committee sees the enterprises of its building or chain, so it sees their appeals too (page list, detail,
API), and an appeal it submits for one of them opens."""

import pytest
from django.urls import reverse

from hongyin.appeals.models import Appeal
from hongyin.appeals_config.models import AppealCategory
from hongyin.enterprises.permissions import enterprises_visible_to

pytestmark = pytest.mark.django_db


def _served(user):
    return enterprises_visible_to(user, "enterprises.view")


@pytest.mark.parametrize("username", ["chain_admin", "building_admin"])
def test_committee_sees_every_appeal_of_the_enterprises_it_serves(as_user, users, username):
    user = users[username]
    expected = set(Appeal.objects.filter(enterprise__in=_served(user)).values_list("pk", flat=True))
    own_org = set(
        Appeal.objects.filter(enterprise__org__path__startswith=user.assignments[0].org.path).values_list(
            "pk", flat=True
        )
    )
    assert expected - own_org, "the demo must have appeals of building/chain enterprises outside the committee's org"
    c = as_user(username)

    page = c.get(reverse("appeals:list"))
    assert page.status_code == 200
    assert set(page.context["page"].paginator.object_list.values_list("pk", flat=True)) >= expected

    listed = set()
    for offset in range(0, len(expected) + 200, 200):
        listed |= {a["id"] for a in c.get(f"/api/v1/appeals/?limit=200&offset={offset}").json()}
    assert listed >= expected

    for pk in sorted(expected - own_org)[:8]:
        assert c.get(reverse("appeals:detail", args=[pk])).status_code == 200
        assert c.get(f"/api/v1/appeals/{pk}").status_code == 200


@pytest.mark.parametrize("username", ["chain_admin", "building_admin"])
def test_committee_opens_the_appeal_it_submits_for_an_enterprise_it_serves(as_user, users, username):
    user = users[username]
    org_path = user.assignments[0].org.path
    enterprise = _served(user).exclude(org__path__startswith=org_path).order_by("pk").first()
    assert enterprise is not None
    category = AppealCategory.objects.get(code="other")
    c = as_user(username)
    r = c.post(
        reverse("appeals:new"),
        {
            "enterprise": enterprise.pk,
            "category": category.pk,
            "source": "visit",
            "title": f"{username} 代企业提交的诉求",
            "content": "园区道路照明不足，请协调。",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    appeal = Appeal.objects.get(title=f"{username} 代企业提交的诉求")
    assert c.get(r["Location"]).status_code == 200
    assert c.get(f"/api/v1/appeals/{appeal.pk}").status_code == 200


@pytest.mark.parametrize("username", ["chain_admin", "building_admin"])
def test_committee_sees_the_visit_it_records_for_an_enterprise_it_serves(as_user, users, username):
    """Recording and seeing a visit follow the same scope: a committee's visit to a firm of its building or chain,
    outside its own organizations, is on its visit list and opens (it used to be recorded and then hidden)."""
    from datetime import date

    from hongyin.appeals.models import Visit
    from hongyin.appeals.permissions import visits_visible_to
    from hongyin.appeals.services_visits import visit_record

    user = users[username]
    enterprise = _served(user).exclude(org__path__startswith=user.assignments[0].org.path).order_by("pk").first()
    visit, _appeal = visit_record(
        actor=user, enterprise=enterprise, visited_on=date.today(), topics="了解用工需求", findings="用工缺口约 20 人"
    )
    assert visits_visible_to(user).filter(pk=visit.pk).exists()
    c = as_user(username)
    assert c.get(reverse("appeals:visit_detail", args=[visit.pk])).status_code == 200
    recorded = Visit.objects.filter(enterprise__in=_served(user))
    assert set(visits_visible_to(user).values_list("pk", flat=True)) == set(recorded.values_list("pk", flat=True))
