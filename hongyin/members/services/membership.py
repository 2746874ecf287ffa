"""A member's standing, set only by its workflows: conversion, moves (transfers, merges) and leaving."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.notification_texts import text
from hongyin.common.permissions import check_in_scope
from hongyin.orgs.models import BRANCH_KINDS, Organization

from ..choices import MemberStatus
from ..models import Member, MemberEventKind, MemberHistory
from ..permissions import MEMBER_SCOPE
from ..validation import clean_member, validate_leave
from .records import EDITABLE, MANAGE, MEMBERSHIP, check_org, history_add


@transaction.atomic
def member_convert(*, actor, member: Member, full_member_on: date) -> Member:
    """Conversion (转正): a probationary member becomes a full member. Called by the development workflow once
    the higher committee has approved it (step 24), never by a generic edit."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织，不能修改。"))
    if member.status != MemberStatus.PROBATIONARY:
        raise DomainError(_("只有预备党员可以转为正式党员。"), field="status")
    data = clean_member(
        {
            **{f: getattr(member, f) for f in (*EDITABLE, *MEMBERSHIP)},
            "status": MemberStatus.FULL,
            "full_member_on": full_member_on,
        }
    )
    member.status, member.full_member_on = MemberStatus.FULL, data["full_member_on"]
    member.save(update_fields=["status", "full_member_on", "updated_at"])
    history_add(
        member=member,
        kind=MemberEventKind.STATUS,
        on=full_member_on,
        summary=text("member.history.full_member", d=str(full_member_on)),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="member.convert",
        obj=member,
        org=member.org,
        details={"status": [MemberStatus.PROBATIONARY, MemberStatus.FULL], "full_member_on": full_member_on},
    )
    return member


@transaction.atomic
def member_move(
    *,
    actor,
    member: Member,
    to_org: Organization,
    reason: str,
    on: date | None = None,
    check_source: bool = True,
) -> Member:
    """Move the member's record to another branch. check_source=False lets the accepting side of a transfer
    (which cannot see the source) complete a move the source already approved."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None and check_source:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    check_org(actor, to_org)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织，不能调整组织关系。"))
    if member.org_id == to_org.pk:
        raise DomainError(_("该党员已在“%(o)s”。") % {"o": to_org.name}, field="to_org")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写调整原因。"), field="reason")
    from_org = member.org
    member.org = to_org
    member.party_group = None
    member.save(update_fields=["org", "party_group", "updated_at"])
    history_add(
        member=member,
        kind=MemberEventKind.MOVED,
        on=on,
        from_org=from_org,
        to_org=to_org,
        summary=text("member.history.moved", a=from_org.name, b=to_org.name, r=reason[:200]),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="member.move",
        obj=member,
        org=to_org,
        details={"from": from_org.name, "to": to_org.name, "reason": reason[:200]},
    )
    return member


@transaction.atomic
def members_follow_merge(*, actor, source: Organization, target: Organization, reason: str = "") -> dict:
    """An organization merge (orgs.services.org_merge, through its ORG_MERGING hook): the source's members move to
    the target, each with its history row and its own audit event."""
    members = list(Member.objects.filter(org=source, left_on__isnull=True).select_related("org").order_by("pk"))
    if members and target.kind not in BRANCH_KINDS:
        raise DomainError(_("被合并的组织有党员，只能合并到党支部。"), field="target")
    today = date.today()
    summary = _("“%(a)s”并入“%(b)s”，组织关系随之转入") % {"a": source.name, "b": target.name}
    Member.objects.filter(pk__in=[m.pk for m in members]).update(org=target, party_group=None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    MemberHistory.objects.bulk_create(
        [
            MemberHistory(
                member=m,
                kind=MemberEventKind.MOVED,
                on=today,
                from_org=source,
                to_org=target,
                summary=summary,
                actor=user,
            )
            for m in members
        ]
    )
    for m in members:
        m.org = target
        audit.record(
            actor=actor,
            action="member.move",
            obj=m,
            org=target,
            details={"from": source.name, "to": target.name, "reason": (reason or summary)[:200], "merge": True},
        )
    return {"members": len(members)}


@transaction.atomic
def member_leave(*, actor, member: Member, left_on: date, reason: str, note: str = "") -> Member:
    """The member leaves the organization (transferred out, deceased, expelled, withdrawn, art. 9)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已于 %(d)s 离开党组织。") % {"d": member.left_on})
    validate_leave(left_on=left_on, reason=reason, joined_on=member.joined_on)
    member.left_on = left_on
    member.leave_reason = reason
    member.save(update_fields=["left_on", "leave_reason", "updated_at"])
    label = member.get_leave_reason_display()
    reason_msg = dict(Member._meta.get_field("leave_reason").flatchoices).get(reason, label)  # lazy: kept as msgid
    history_add(
        member=member,
        kind=MemberEventKind.LEFT,
        on=left_on,
        from_org=member.org,
        summary=(
            text("member.history.left_note", r_msg=reason_msg, n=note[:100])
            if note
            else text("member.history.left", r_msg=reason_msg)
        ),
        actor=actor,
    )
    audit.record(
        actor=actor, action="member.leave", obj=member, org=member.org, details={"reason": reason, "on": left_on}
    )
    return member
