import pytest
from django.urls import reverse

from hongyin.enterprises.models import Building, ChainMembership, Enterprise, Floor, IndustryChain, Lease, Unit

pytestmark = pytest.mark.django_db


def test_floor_outside_building_via_page_shows_message(as_user):
    b = Building.objects.get(name="万象汇")
    n = Floor.objects.filter(building=b).count()
    r = as_user("zone_admin").post(reverse("enterprises:building_floor_add", args=[b.pk]), {"number": 40}, follow=True)
    assert "不在" in r.content.decode()
    assert Floor.objects.filter(building=b).count() == n


def test_unit_and_lease_via_page(as_user):
    c = as_user("zone_admin")
    b = Building.objects.get(name="万象汇")
    floor = Floor.objects.filter(building=b).order_by("number").last()
    c.post(reverse("enterprises:building_unit_add", args=[b.pk]), {"floor": floor.pk, "number": "X9", "area": "88.5"})
    unit = Unit.objects.get(floor=floor, number="X9")
    e1, e2 = Enterprise.objects.order_by("id")[20:22]
    url = reverse("enterprises:building_lease_add", args=[b.pk])
    c.post(url, {"unit": unit.pk, "uscc": e1.uscc, "start_on": "2025-01-01", "end_on": "2025-12-31"})
    r = c.post(url, {"unit": unit.pk, "uscc": e2.uscc, "start_on": "2025-03-01"}, follow=True)
    assert "重叠" in r.content.decode()
    assert Lease.objects.filter(unit=unit).count() == 1


def test_building_admin_cannot_manage_another_building(as_user):
    other = Building.objects.get(name="绿地中心")
    r = as_user("building_admin").post(reverse("enterprises:building_floor_add", args=[other.pk]), {"number": 5})
    assert r.status_code == 404


def test_chain_admin_adds_lead_enterprise(as_user):
    chain = IndustryChain.objects.get(name="光子产业链")
    node = chain.nodes.filter(name="光刻光源").first()
    e = Enterprise.objects.order_by("id")[30]
    c = as_user("chain_admin")
    c.post(
        reverse("enterprises:chain_enterprise_add", args=[chain.pk]), {"node": node.pk, "uscc": e.uscc, "is_lead": "on"}
    )
    assert ChainMembership.objects.get(node=node, enterprise=e).is_lead
    assert (
        as_user("building_admin")
        .post(reverse("enterprises:chain_node_add", args=[chain.pk]), {"name": "x", "segment": "upstream"})
        .status_code
        == 404
    )


def test_list_filters_by_building_and_node(as_user):
    c = as_user("zone_admin")
    b = Building.objects.get(name="第一楼宇")
    r = c.get(reverse("enterprises:list"), {"building": b.pk})
    assert r.context["page"].paginator.count == Enterprise.objects.filter(building=b).count()
    node = IndustryChain.objects.get(name="光子产业链").nodes.filter(depth=1).first()
    r = c.get(reverse("enterprises:list"), {"node": node.pk})
    expected = Enterprise.objects.filter(chain_memberships__node__path__startswith=node.path).distinct().count()
    assert r.context["page"].paginator.count == expected > 0
