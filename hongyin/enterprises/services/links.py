"""Linking an enterprise named by its USCC to a chain node or a unit: directly when the actor already sees the
enterprise, otherwise as a request that the zone or the enterprise's committee decides."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.identifiers import validate_uscc

from ..models import ChainMembership, ChainNode, Enterprise, EnterpriseLinkRequest, Lease, LinkKind, LinkStatus, Unit
from ..permissions import link_requests_decidable_by
from .buildings import check_building_manage, check_lease, lease_create
from .chains import chain_enterprise_add, check_chain_manage
from .registry import in_scope


def link_requested_message() -> str:
    """The one answer for a code that is out of scope or unknown: no existence oracle."""
    return _("已提交关联申请，待审核。")


def _link_request(*, actor, kind: str, code: str, org, **target) -> EnterpriseLinkRequest:
    enterprise = Enterprise.objects.filter(uscc=code).first()
    same = {"node": target.get("node"), "unit": target.get("unit")}
    pending = EnterpriseLinkRequest.objects.filter(
        kind=kind, uscc=code, requester=actor, status=LinkStatus.PENDING, **same
    ).first()
    if pending is not None:
        return pending
    req = EnterpriseLinkRequest.objects.create(kind=kind, uscc=code, enterprise=enterprise, requester=actor, **target)
    details = {"kind": kind, "uscc": code}
    details |= {"node": target["node"].pk} if target.get("node") else {"unit": target["unit"].pk}
    audit.record(actor=actor, action="enterprise.link_request", obj=req, org=org, details=details)
    return req


@transaction.atomic
def chain_enterprise_link(
    *, actor, node: ChainNode, uscc: str, is_lead: bool = False
) -> ChainMembership | EnterpriseLinkRequest:
    """Put the enterprise with this USCC on a node: directly when the actor already sees it, otherwise as a request
    (unknown codes too) that the zone or the enterprise's current committee decides."""
    check_chain_manage(actor, node.chain)
    code = validate_uscc(uscc)
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if actor is None or (enterprise is not None and in_scope(actor, enterprise)):
        if enterprise is None:
            raise DomainError(_("信用代码为 %(c)s 的企业尚未登记，请先登记企业。") % {"c": code}, field="uscc")
        return chain_enterprise_add(actor=actor, node=node, enterprise=enterprise, is_lead=is_lead)
    return _link_request(
        actor=actor,
        kind=LinkKind.CHAIN,
        code=code,
        org=node.chain.party_committee,
        node=node,
        is_lead=is_lead,
    )


@transaction.atomic
def lease_link(
    *, actor, unit: Unit, uscc: str, start_on: date | None, end_on: date | None = None
) -> Lease | EnterpriseLinkRequest:
    """Let a unit to the enterprise with this USCC: directly when the actor already sees it, otherwise a request."""
    unit = Unit.objects.select_related("floor__building").get(pk=unit.pk)
    check_building_manage(actor, unit.floor.building)
    code = validate_uscc(uscc)
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if actor is None or (enterprise is not None and in_scope(actor, enterprise)):
        if enterprise is None:
            raise DomainError(_("信用代码为 %(c)s 的企业尚未登记，请先登记企业。") % {"c": code}, field="uscc")
        return lease_create(actor=actor, unit=unit, enterprise=enterprise, start_on=start_on, end_on=end_on)
    check_lease(unit, start_on, end_on)  # the unit and the dates are the requester's own business
    return _link_request(
        actor=actor,
        kind=LinkKind.LEASE,
        code=code,
        org=unit.floor.building.party_committee,
        unit=unit,
        start_on=start_on,
        end_on=end_on,
    )


@transaction.atomic
def link_request_decide(
    *, actor, link_request: EnterpriseLinkRequest, approve: bool, reason: str = ""
) -> EnterpriseLinkRequest:
    """The zone admin (or the enterprise's current committee) approves, which makes the link, or refuses."""
    req = EnterpriseLinkRequest.objects.select_for_update(of=("self",)).get(pk=link_request.pk)
    if actor is not None and not link_requests_decidable_by(actor).filter(pk=req.pk).exists():
        raise NotFound
    if req.status != LinkStatus.PENDING:
        raise DomainError(_("该申请已经审核。"))
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError(_("内容过长（不超过 %(n)s 个字）。") % {"n": 200}, field="reason")
    enterprise = req.enterprise or Enterprise.objects.filter(uscc=req.uscc).first()
    if approve:
        if enterprise is None:
            raise DomainError(_("信用代码为 %(c)s 的企业尚未登记，不能批准。") % {"c": req.uscc})
        if req.kind == LinkKind.CHAIN:
            chain_enterprise_add(
                actor=actor, node=req.node, enterprise=enterprise, is_lead=req.is_lead, check_scope=False
            )
        else:
            lease_create(
                actor=actor,
                unit=req.unit,
                enterprise=enterprise,
                start_on=req.start_on,
                end_on=req.end_on,
                check_scope=False,
            )
    elif not reason:
        raise DomainError(_("请填写不予批准的理由。"), field="reason")
    req.enterprise = enterprise
    req.status = LinkStatus.APPROVED if approve else LinkStatus.REFUSED
    req.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    req.decided_at = timezone.now()
    req.reason = reason
    req.save(update_fields=["enterprise", "status", "decided_by", "decided_at", "reason", "updated_at"])
    audit.record(
        actor=actor,
        action="enterprise.link_approve" if approve else "enterprise.link_refuse",
        obj=req,
        org=enterprise.org if enterprise else None,
        details={"kind": req.kind, "uscc": req.uscc, "requester": req.requester_id, "reason": reason},
    )
    return req
