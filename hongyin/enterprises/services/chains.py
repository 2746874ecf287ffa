"""Industry chains, their nodes and the enterprises on them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound

from ..models import ChainMembership, ChainNode, Enterprise, IndustryChain, Segment
from ..permissions import chains_visible_to
from .registry import check_enterprise_in_scope


def check_chain_manage(actor, chain: IndustryChain | None = None) -> None:
    if actor is None:
        return
    if not actor.has_role_perm("chains.manage"):
        raise PermissionDenied
    if chain is not None and chain.pk and not chains_visible_to(actor, "chains.manage").filter(pk=chain.pk).exists():
        raise NotFound


@transaction.atomic
def chain_create(*, actor, name: str, description: str = "", party_committee=None) -> IndustryChain:
    check_chain_manage(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写产业链名称。"), field="name")
    if IndustryChain.objects.filter(name=name).exists():
        raise DomainError(_("产业链“%(n)s”已存在。") % {"n": name}, field="name")
    chain = IndustryChain.objects.create(name=name, description=description, party_committee=party_committee)
    audit.record(actor=actor, action="chain.create", obj=chain, org=party_committee)
    return chain


@transaction.atomic
def chain_node_create(
    *, actor, chain: IndustryChain, name: str, segment: str = "", parent: ChainNode | None = None
) -> ChainNode:
    check_chain_manage(actor, chain)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写环节名称。"), field="name")
    if parent is not None:
        if parent.chain_id != chain.pk:
            raise DomainError(_("上级环节不属于该产业链。"), field="parent")
        node = ChainNode.objects.add_child(
            ChainNode.objects.get(pk=parent.pk),
            create_kwargs={"chain": chain, "name": name, "segment": parent.segment},
        )
    else:
        if segment not in Segment.values:
            raise DomainError(_("请选择链段（上游、中游、下游）。"), field="segment")
        node = ChainNode.objects.add_root(create_kwargs={"chain": chain, "name": name, "segment": segment})
    audit.record(actor=actor, action="chain.node_create", obj=node, details={"chain": chain.pk})
    return node


@transaction.atomic
def chain_enterprise_add(
    *, actor, node: ChainNode, enterprise: Enterprise, is_lead: bool = False, check_scope: bool = True
) -> ChainMembership:
    """check_scope=False: an approved link request (the approver need not manage the chain)."""
    if check_scope:
        check_chain_manage(actor, node.chain)
        check_enterprise_in_scope(actor, enterprise)
    membership, created = ChainMembership.objects.get_or_create(
        node=node, enterprise=enterprise, defaults={"is_lead": is_lead}
    )
    if not created and membership.is_lead != is_lead:
        membership.is_lead = is_lead
        membership.save(update_fields=["is_lead"])
    audit.record(
        actor=actor,
        action="chain.enterprise_add",
        obj=node,
        details={"enterprise": enterprise.pk, "is_lead": is_lead},
    )
    return membership


@transaction.atomic
def chain_enterprise_remove(*, actor, node: ChainNode, enterprise: Enterprise) -> None:
    check_chain_manage(actor, node.chain)
    ChainMembership.objects.filter(node=node, enterprise=enterprise).delete()
    audit.record(actor=actor, action="chain.enterprise_remove", obj=node, details={"enterprise": enterprise.pk})
