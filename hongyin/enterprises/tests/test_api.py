import pytest
from stdnum.cn import uscc

from hongyin.enterprises.models import Building, Enterprise, IndustryChain, Unit

pytestmark = pytest.mark.django_db


def test_list_and_detail(as_user):
    c = as_user("zone_admin")
    r = c.get("/api/v1/enterprises/", {"party": "none", "limit": 5})
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == Enterprise.objects.filter(org__isnull=True).count()
    assert all(item["party_status"] == "none" for item in data["items"])
    one = data["items"][0]["id"]
    assert c.get(f"/api/v1/enterprises/{one}").json()["uscc"]


def test_contact_cannot_read_other_enterprise(as_user):
    c = as_user("enterprise_contact")
    own = Enterprise.objects.order_by("id")[1]
    other = Enterprise.objects.order_by("id")[2]
    assert c.get(f"/api/v1/enterprises/{own.pk}").status_code == 200
    assert c.get(f"/api/v1/enterprises/{other.pk}").status_code == 404
    assert c.get("/api/v1/enterprises/").json()["count"] == 1


def test_create_with_bad_uscc_is_422(as_user):
    c = as_user("zone_admin")
    r = c.post("/api/v1/enterprises/", {"uscc": "91610131XXXXXXXXX1", "name": "坏"}, content_type="application/json")
    assert r.status_code == 422
    assert "统一社会信用代码" in r.json()["detail"]
    body = "91610131MA6AP0001"
    code = body + uscc.calc_check_digit(body)
    r = c.post("/api/v1/enterprises/", {"uscc": code, "name": "接口企业"}, content_type="application/json")
    assert r.status_code == 201 and Enterprise.objects.filter(uscc=code).exists()


def test_floor_outside_building_and_overlapping_lease_are_422(as_user):
    c = as_user("zone_admin")
    b = Building.objects.get(name="万象汇")
    r = c.post(f"/api/v1/enterprises/buildings/{b.pk}/floors", {"number": 99}, content_type="application/json")
    assert r.status_code == 422
    unit = Unit.objects.filter(leases__isnull=True, leasable=True).first()
    e1, e2 = Enterprise.objects.order_by("id")[3:5]
    url = f"/api/v1/enterprises/units/{unit.pk}/leases"
    ok = c.post(url, {"enterprise_id": e1.pk, "start_on": "2025-01-01"}, content_type="application/json")
    assert ok.status_code == 201
    clash = c.post(url, {"enterprise_id": e2.pk, "start_on": "2026-01-01"}, content_type="application/json")
    assert clash.status_code == 422 and "重叠" in clash.json()["detail"]


def test_buildings_and_chain(as_user):
    c = as_user("zone_admin")
    rows = c.get("/api/v1/enterprises/buildings/").json()
    tiers = {r["name"]: r["tier"] for r in rows}
    assert tiers["绿地中心"] == "ten_billion" and tiers["第一楼宇"] == "hundred_million"
    chain = IndustryChain.objects.get(name="光子产业链")
    data = as_user("chain_admin").get(f"/api/v1/enterprises/chains/{chain.pk}").json()
    assert any(n["gap"] for n in data["nodes"]) and data["enterprise_count"] >= 200


def test_grid_coverage_and_member_forbidden(as_user):
    r = as_user("zone_admin").get("/api/v1/grid/coverage")
    assert r.status_code == 200 and r.json()["total"]["total"] > 0
    assert as_user("member").get("/api/v1/grid/coverage").status_code == 403


def _json(client, method: str, url: str, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def test_platform_create_update_delete(as_user):
    from hongyin.audit.models import AuditEvent
    from hongyin.enterprises.models import InnovationPlatform

    chain = IndustryChain.objects.get(name="光子产业链")
    node = chain.nodes.order_by("path").first()
    host = Enterprise.objects.filter(chain_memberships__node__chain=chain).order_by("id").first()
    c = as_user("chain_admin")
    base = f"/api/v1/enterprises/chains/{chain.pk}/platforms"
    r = _json(c, "post", base, {"name": "接口平台", "kind": "platform", "node_id": node.pk, "enterprise_id": host.pk})
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["chain_id"] == chain.pk and data["node_id"] == node.pk and data["enterprise_id"] == host.pk
    pk = data["id"]
    r = _json(c, "patch", f"{base}/{pk}", {"name": "接口平台（改）", "kind": "institute", "node_id": None})
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "接口平台（改）" and r.json()["node_id"] is None
    assert r.json()["enterprise_id"] == host.pk  # not sent, not changed
    p = InnovationPlatform.objects.get(pk=pk)
    assert (p.kind, p.node_id) == ("institute", None)
    event = AuditEvent.objects.get(action="chain.platform_update", object_id=str(pk))
    assert event.details["kind"] == ["platform", "institute"] and event.details["node"] == [node.name, ""]
    assert c.delete(f"{base}/{pk}").status_code == 204
    assert not InnovationPlatform.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="chain.platform_delete", object_id=str(pk)).exists()
    assert c.delete(f"{base}/{pk}").status_code == 404


def test_platform_api_refuses_bad_input_and_other_scopes(as_user):
    from hongyin.enterprises import services
    from hongyin.enterprises.models import InnovationPlatform

    chain = IndustryChain.objects.get(name="光子产业链")
    p = chain.platforms.order_by("id").first()
    other = services.chain_create(actor=None, name="接口测试产业链")
    foreign = services.chain_node_create(actor=None, chain=other, name="外链环节", segment="upstream")
    base = f"/api/v1/enterprises/chains/{chain.pk}/platforms"
    c = as_user("chain_admin")
    count = InnovationPlatform.objects.count()
    r = _json(c, "patch", f"{base}/{p.pk}", {"node_id": foreign.pk})
    assert r.status_code == 422 and "环节不属于该产业链" in r.json()["detail"]
    r = _json(c, "post", base, {"name": " ", "kind": "platform"})
    assert r.status_code == 422 and "平台名称" in r.json()["detail"]
    assert _json(c, "post", base, {"name": "x", "kind": "lab"}).status_code == 422
    assert _json(c, "patch", f"{base}/{p.pk}", {"kind": None}).status_code == 422
    assert _json(c, "post", base, {"name": "x", "kind": "platform", "node_id": 10**12}).status_code == 404
    assert (
        _json(c, "patch", f"/api/v1/enterprises/chains/{other.pk}/platforms/{p.pk}", {"name": "y"}).status_code == 404
    )
    assert _json(as_user("building_admin"), "patch", f"{base}/{p.pk}", {"name": "越权"}).status_code == 404
    assert as_user("building_admin").delete(f"{base}/{p.pk}").status_code == 404
    r = _json(as_user("grid_officer"), "post", base, {"name": "越权", "kind": "platform"})
    assert r.status_code == 403 and r.json()["detail"]
    assert as_user("member").delete(f"{base}/{p.pk}").status_code == 403
    fresh = InnovationPlatform.objects.get(pk=p.pk)
    assert (fresh.name, fresh.kind, fresh.node_id) == (p.name, p.kind, p.node_id)
    assert InnovationPlatform.objects.count() == count
