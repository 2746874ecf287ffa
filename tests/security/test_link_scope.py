"""Scope cannot be widened by naming something (issue 17, item 4): an enterprise outside the requester's scope,
named by its USCC, becomes a link request that the zone (or the enterprise's committee) decides; unknown and
out-of-scope codes get the same answer; briefings and instructor assignment answer the same way."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hongyin.accounts.models import RoleAssignment, User
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.identifiers import uscc_check_char
from hongyin.enterprises import services
from hongyin.enterprises.models import (
    Building,
    ChainMembership,
    Enterprise,
    EnterpriseLinkRequest,
    Lease,
    Unit,
)
from hongyin.enterprises.permissions import chains_visible_to, enterprises_visible_to
from hongyin.policies.services import briefing_create

pytestmark = pytest.mark.django_db

UNKNOWN = "91610131MA6WXY9K1"
UNKNOWN += uscc_check_char(UNKNOWN)


def _outside(user, *, exclude_building=None) -> Enterprise:
    """An enterprise of the zone the user does not see."""
    seen = enterprises_visible_to(user).values("pk")
    qs = Enterprise.objects.exclude(pk__in=seen).order_by("id")
    if exclude_building is not None:
        qs = qs.exclude(building=exclude_building)
    return qs.first()


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def chain_setup(demo):
    admin = User.objects.get(username="chain_admin")
    chain = chains_visible_to(admin, "chains.manage").order_by("pk").first()
    node = chain.nodes.order_by("path").first()
    return admin, chain, node, _outside(admin)


def test_chain_admin_cannot_pull_an_enterprise_into_its_chain(as_user, chain_setup):
    admin, chain, node, outsider = chain_setup
    client = as_user("chain_admin")
    url = reverse("enterprises:chain_enterprise_add", args=[chain.pk])
    known = as_user("chain_admin").post(url, {"node": node.pk, "uscc": outsider.uscc})
    unknown = as_user("chain_admin").post(url, {"node": node.pk, "uscc": UNKNOWN})
    assert _messages(known) == _messages(unknown) == ["已提交关联申请，待审核。"]
    assert not ChainMembership.objects.filter(node=node, enterprise=outsider).exists()
    assert not enterprises_visible_to(admin).filter(pk=outsider.pk).exists()
    assert outsider.name not in client.get(reverse("enterprises:link_requests")).content.decode()
    # the API answers the same for both
    answers = [
        client.post(
            "/api/v1/enterprises/link-requests/",
            {"kind": "chain", "uscc": code, "node_id": node.pk},
            content_type="application/json",
        )
        for code in (outsider.uscc, UNKNOWN)
    ]
    assert answers[0].status_code == answers[1].status_code == 200
    assert answers[0].json() == answers[1].json() == {"result": "requested", "message": "已提交关联申请，待审核。"}
    mine = client.get("/api/v1/enterprises/link-requests/").json()
    assert {r["uscc"] for r in mine} >= {outsider.uscc, UNKNOWN}
    assert all(r["enterprise_id"] is None and r["enterprise_name"] == "" for r in mine)
    assert outsider.name not in str(mine)
    # a service called directly refuses too (defence in depth)
    with pytest.raises(NotFound):
        services.chain_enterprise_add(actor=admin, node=node, enterprise=outsider)


def test_zone_admin_approves_on_the_page_and_the_link_is_made(as_user, chain_setup):
    admin, chain, node, outsider = chain_setup
    as_user("chain_admin").post(
        reverse("enterprises:chain_enterprise_add", args=[chain.pk]), {"node": node.pk, "uscc": outsider.uscc}
    )
    req = EnterpriseLinkRequest.objects.get(uscc=outsider.uscc, requester=admin, status="pending")
    assert AuditEvent.objects.filter(action="enterprise.link_request", object_id=str(req.pk)).exists()
    # the requester cannot decide its own request; a committee that does not have the enterprise cannot either
    decide = reverse("enterprises:link_request_decide", args=[req.pk])
    assert as_user("chain_admin").post(decide, {"decision": "approve"}).status_code == 404
    if not enterprises_visible_to(User.objects.get(username="building_admin")).filter(pk=outsider.pk).exists():
        assert as_user("building_admin").post(decide, {"decision": "approve"}).status_code == 404
    zone = as_user("zone_admin")
    page = zone.get(reverse("enterprises:link_requests")).content.decode()
    assert outsider.name in page and decide in page
    r = zone.post(decide, {"decision": "approve"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by.username == "zone_admin" and req.decided_at
    assert ChainMembership.objects.filter(node=node, enterprise=outsider).exists()
    assert enterprises_visible_to(admin).filter(pk=outsider.pk).exists()
    assert AuditEvent.objects.filter(action="enterprise.link_approve", object_id=str(req.pk)).exists()
    assert zone.post(decide, {"decision": "approve"}).status_code == 404  # decided: no longer pending


def test_refusal_via_the_api_needs_a_reason(as_user, chain_setup):
    admin, _chain, node, outsider = chain_setup
    req = services.chain_enterprise_link(actor=admin, node=node, uscc=outsider.uscc)
    assert isinstance(req, EnterpriseLinkRequest)
    zone = as_user("zone_admin")
    url = f"/api/v1/enterprises/link-requests/{req.pk}/decide"
    assert zone.post(url, {"approve": False}, content_type="application/json").status_code == 422
    r = zone.post(url, {"approve": False, "reason": "不属于本产业链"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "refused"
    assert not ChainMembership.objects.filter(node=node, enterprise=outsider).exists()
    assert AuditEvent.objects.filter(action="enterprise.link_refuse", object_id=str(req.pk)).exists()
    assert as_user("chain_admin").post(url, {"approve": True}, content_type="application/json").status_code == 404
    mine = as_user("chain_admin").get("/api/v1/enterprises/link-requests/", {"status": "refused"}).json()
    assert [(r["id"], r["reason"]) for r in mine if r["id"] == req.pk] == [(req.pk, "不属于本产业链")]


def test_a_buildings_lease_cannot_claim_an_enterprise_of_another_building(as_user, demo):
    admin = User.objects.get(username="building_admin")
    building = Building.objects.filter(party_committee__path__startswith=demo.buildings[0].path).first()
    unit = Unit.objects.filter(floor__building=building, leasable=True, leases__isnull=True).first()
    outsider = _outside(admin, exclude_building=None)
    address = (outsider.building_id, outsider.unit_id)
    url = reverse("enterprises:building_lease_add", args=[building.pk])
    data = {"unit": unit.pk, "start_on": "2025-01-01"}
    known = as_user("building_admin").post(url, {**data, "uscc": outsider.uscc})
    unknown = as_user("building_admin").post(url, {**data, "uscc": UNKNOWN})
    assert _messages(known) == _messages(unknown) == ["已提交关联申请，待审核。"]
    assert not Lease.objects.filter(unit=unit).exists()
    outsider.refresh_from_db()
    assert (outsider.building_id, outsider.unit_id) == address
    assert not enterprises_visible_to(admin).filter(pk=outsider.pk).exists()
    req = EnterpriseLinkRequest.objects.get(kind="lease", uscc=outsider.uscc, unit=unit)
    services.link_request_decide(actor=User.objects.get(username="zone_admin"), link_request=req, approve=True)
    assert Lease.objects.filter(unit=unit, enterprise=outsider).exists()


def test_platform_host_out_of_scope_reads_like_unknown(as_user, chain_setup):
    _admin, chain, _node, outsider = chain_setup
    url = reverse("enterprises:chain_platform_add", args=[chain.pk])
    answers = []
    for code in (outsider.uscc, UNKNOWN):
        r = as_user("chain_admin").post(url, {"name": "探测平台", "kind": "platform", "uscc": code})
        answers.append([m.replace(code, "CODE") for m in _messages(r)])
    assert answers[0] == answers[1] and "CODE" in answers[0][0]
    assert not chain.platforms.filter(name="探测平台").exists()


def test_briefing_attendee_out_of_scope_is_refused_like_unknown(as_user, demo):
    admin = User.objects.get(username="building_admin")
    outsider = _outside(admin)
    client = as_user("building_admin")
    url = reverse("policies:briefings")
    base = {"title": "政策宣讲", "held_on": "2025-05-01", "place": "", "speaker": ""}
    known = client.post(url, {**base, "attendees": f"{outsider.uscc} 张三"})
    unknown = client.post(url, {**base, "attendees": f"{UNKNOWN} 张三"})
    assert known.status_code == unknown.status_code == 422
    errors = [r.context["form"].errors["attendees"][0].replace(code, "CODE") for r, code in
              ((known, outsider.uscc), (unknown, UNKNOWN))]  # fmt: skip
    assert errors[0] == errors[1]
    with pytest.raises(DomainError):
        briefing_create(actor=admin, title="直接调用", held_on=date(2025, 5, 1), attendees=[(outsider.pk, "")])


def test_instructor_by_username_only_an_existing_instructor(as_user, demo):
    """Naming any account (here the zone admin's) must not make it an instructor, nor tell that it exists."""
    admin = User.objects.get(username="building_admin")
    ent = enterprises_visible_to(admin, "enterprises.assign_instructors").order_by("id").first()
    client = as_user("building_admin")
    for name in ("zone_admin", "no_such_account"):
        r = client.post(
            "/api/v1/grid/instructors",
            {"instructor": name, "enterprise_ids": [ent.pk]},
            content_type="application/json",
        )
        assert r.status_code == 404, (name, r.content)
    assert not RoleAssignment.objects.filter(user__username="zone_admin", role="instructor").exists()
    r = client.post(
        "/api/v1/grid/instructors",
        {"instructor": "instructor", "enterprise_ids": [ent.pk]},
        content_type="application/json",
    )
    assert r.status_code == 200
