"""Writes on relation transfers (组织关系转接). The member's record moves only through the members service:
member_move on acceptance (inside), member_leave when an outgoing letter's slip returns, member_create on receipt."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from hongyin.accounts.models import RoleAssignment
from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.fields import mask_name
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify
from hongyin.common.permissions import check_in_scope
from hongyin.common.roles import roles_with
from hongyin.members import services as member_services
from hongyin.members.choices import LeaveReason
from hongyin.members.models import Member
from hongyin.members.permissions import MEMBER_SCOPE
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.workflows.engine import Transition, Workflow, next_in_sequence

from .models import OPEN_STATUSES, Transfer, TransferEvent, TransferKind, TransferStatus
from .permissions import is_source_side, is_target_side

MANAGE = "transfers.manage"
T = TransferStatus


def _source(user, transfer) -> bool:
    return user.has_role_perm(MANAGE) and is_source_side(user, transfer)


def _source_inside(user, transfer) -> bool:
    return transfer.kind == TransferKind.INSIDE and _source(user, transfer)


def _target(user, transfer) -> bool:
    return user.has_role_perm(MANAGE) and is_target_side(user, transfer)


def _record_event(transfer, *, actor, action, before, after, note):
    return TransferEvent.objects.create(transfer=transfer, actor=actor, before=before, after=after, note=note[:300])


TRANSFER_FLOW = Workflow(
    key="transfer",
    model=Transfer,
    transitions=[
        Transition("approve", {T.REQUESTED}, T.APPROVED, gettext_lazy("同意转出"), _source_inside),
        Transition("accept", {T.APPROVED}, T.ACCEPTED, gettext_lazy("接收"), _target),
        Transition("return", {T.APPROVED}, T.RETURNED, gettext_lazy("退回"), _target),
        Transition("resubmit", {T.RETURNED}, T.REQUESTED, gettext_lazy("重新提交"), _source),
        Transition("issue", {T.REQUESTED}, T.ISSUED, gettext_lazy("开具介绍信"), _source),
        Transition("slip", {T.ISSUED}, T.COMPLETED, gettext_lazy("登记回执已退回"), _source),
        Transition(
            "cancel", {T.REQUESTED, T.RETURNED, T.ISSUED}, T.CANCELLED, pgettext_lazy("transfer", "撤销"), _source
        ),
    ],
    record_event=_record_event,
    audit_org=lambda transfer: transfer.source or transfer.target,
    audit_details=lambda transfer: {"number": transfer.number, "member": mask_name(transfer.member_name)},
    stale_message=gettext_lazy("该转接已被他人处理，请刷新后重试。"),
)


def _text(value: str, *, field: str, label: str, required: bool = True, limit: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit}, field=field)
    if "<" in value or ">" in value:
        raise DomainError(_("%(l)s不能包含尖括号等标记字符。") % {"l": label}, field=field)
    return value


def _next_number() -> str:
    """ZJ + year + a running number from a locked counter (the letter number)."""
    prefix = f"ZJ{timezone.localdate().year}"

    def used() -> int:
        last = Transfer.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
        return int(last.first()[len(prefix) :]) if last.exists() else 0

    return f"{prefix}{next_in_sequence(prefix, start_after=used):05d}"


def _move(transfer: Transfer, actor, action: str, note: str = "", changes: dict | None = None) -> None:
    if action in ("accept", "slip", "cancel"):
        changes = {**(changes or {}), "closed_at": timezone.now()}
    TRANSFER_FLOW.move(actor=actor, obj=transfer, action=action, note=note or "", changes=changes)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _notify_org(org: Organization | None, title: str, url: str = "") -> None:
    """Tell the party admins whose scope covers the organization (the other side of the transfer)."""
    if org is None:
        return
    ancestors = [org.path[:i] for i in range(Organization.steplen, len(org.path) + 1, Organization.steplen)]
    assignments = RoleAssignment.objects.filter(
        role__in=roles_with(MANAGE), org__path__in=ancestors, user__is_active=True
    ).select_related("user")
    for a in assignments:
        notify(user=a.user, title=title, url=url)


def _target_branch(target: Organization, source: Organization | None) -> None:
    if target.kind not in BRANCH_KINDS or target.dissolved_on:
        raise DomainError(_("接收党组织应为党支部（含联合党支部）。"), field="target")
    if source is not None and target.pk == source.pk:
        raise DomainError(_("接收党组织不能与转出党组织相同。"), field="target")


def _no_open_transfer(member: Member) -> None:
    if Transfer.objects.filter(member=member, status__in=OPEN_STATUSES).exists():
        raise DomainError(_("该党员已有正在办理的组织关系转接。"), field="member")


def _require_side(actor, transfer: Transfer, side: str) -> None:
    ok = is_source_side(actor, transfer) if side == "source" else is_target_side(actor, transfer)
    if actor is not None and not ok:
        raise DomainError(
            _("只有转出党组织可以办理此操作。") if side == "source" else _("只有接收党组织可以办理此操作。")
        )


def _url(transfer: Transfer) -> str:
    from django.urls import reverse

    return reverse("transfers:detail", args=[transfer.pk])


# --- inside the platform ------------------------------------------------------------------------------------------


@transaction.atomic
def transfer_request(*, actor, member: Member, target: Organization, reason: str) -> Transfer:
    """The source side starts a transfer to another branch of the platform."""
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织。"), field="member")
    _target_branch(target, member.org)
    reason = _text(reason, field="reason", label=_("转接原因"))
    _no_open_transfer(member)
    transfer = Transfer.objects.create(
        number=_next_number(),
        kind=TransferKind.INSIDE,
        status=TransferStatus.REQUESTED,
        member=member,
        member_name=member.name,
        source=member.org,
        target=target,
        reason=reason,
        requested_by=_user(actor),
    )
    TransferEvent.objects.create(transfer=transfer, actor=_user(actor), after=TransferStatus.REQUESTED, note=reason)
    audit.record(
        actor=actor,
        action="transfer.request",
        obj=transfer,
        org=member.org,
        details={"member": mask_name(member.name), "to": target.name},
    )
    return transfer


@transaction.atomic
def transfer_approve(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """The source organization approves; the transfer goes to the target for acceptance."""
    _require_side(actor, transfer, "source")
    _move(transfer, actor, "approve", note)
    _notify_org(transfer.target, text("transfer.to_accept", n=mask_name(transfer.member_name)), _url(transfer))
    return transfer


@transaction.atomic
def transfer_accept(*, actor, transfer: Transfer, note: str = "") -> Transfer:
    """The target accepts: only now the member's record moves (members service)."""
    _require_side(actor, transfer, "target")
    _move(transfer, actor, "accept", note)
    member_services.member_move(
        actor=actor,
        member=transfer.member,
        to_org=transfer.target,
        reason=_("组织关系转接 %(n)s：%(r)s") % {"n": transfer.number, "r": transfer.reason},
        check_source=False,
    )
    _notify_org(transfer.source, text("transfer.accepted", n=mask_name(transfer.member_name)), _url(transfer))
    return transfer


@transaction.atomic
def transfer_return(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """The target refuses and returns the transfer to the source with a reason."""
    _require_side(actor, transfer, "target")
    reason = _text(reason, field="reason", label=_("退回原因"), limit=300)
    _move(transfer, actor, "return", reason, {"return_reason": reason})
    if transfer.requested_by_id:
        notify(
            user=transfer.requested_by,
            title=text("transfer.returned_to_you", n=mask_name(transfer.member_name)),
            body=reason,
            url=_url(transfer),
        )
    _notify_org(transfer.source, text("transfer.returned", r=reason[:60]), _url(transfer))
    return transfer


@transaction.atomic
def transfer_resubmit(*, actor, transfer: Transfer, target: Organization | None = None, note: str = "") -> Transfer:
    """After a return, the source corrects the target (or the papers) and submits again."""
    _require_side(actor, transfer, "source")
    if target is not None:
        _target_branch(target, transfer.source)
        transfer.target = target
    _move(transfer, actor, "resubmit", note)
    return transfer


@transaction.atomic
def transfer_cancel(*, actor, transfer: Transfer, reason: str) -> Transfer:
    _require_side(actor, transfer, "source")
    reason = _text(reason, field="reason", label=_("撤销原因"))
    _move(transfer, actor, "cancel", reason)
    return transfer


# --- out of the platform -------------------------------------------------------------------------------------------


@transaction.atomic
def transfer_out_issue(*, actor, member: Member, external_org: str, reason: str, valid_days: int = 30) -> Transfer:
    """Issue an introduction letter to an organization outside the platform (numbered; PDF with its slip)."""
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织。"), field="member")
    external_org = _text(external_org, field="external_org", label=_("接收党组织名称"))
    reason = _text(reason, field="reason", label=_("转接原因"))
    try:
        valid_days = int(valid_days)
    except (TypeError, ValueError):
        valid_days = 0
    if not 1 <= valid_days <= 90:
        raise DomainError(_("介绍信有效期应为 1-90 天。"), field="letter_valid_days")
    _no_open_transfer(member)
    transfer = Transfer.objects.create(
        number=_next_number(),
        kind=TransferKind.OUT,
        status=TransferStatus.REQUESTED,
        member=member,
        member_name=member.name,
        source=member.org,
        external_org=external_org,
        reason=reason,
        letter_valid_days=valid_days,
        issued_on=timezone.localdate(),
        requested_by=_user(actor),
    )
    _move(transfer, actor, "issue", _("开具介绍信"))
    return transfer


@transaction.atomic
def transfer_out_slip_returned(*, actor, transfer: Transfer, returned_on: date) -> Transfer:
    """The receiving organization's slip came back: the member leaves the platform as transferred out."""
    _require_side(actor, transfer, "source")
    if transfer.kind != TransferKind.OUT:
        raise DomainError(_("只有转出平台的介绍信有回执。"))
    if returned_on is None or returned_on > timezone.localdate():
        raise DomainError(_("请填写正确的回执日期（不晚于今天）。"), field="slip_returned_on")
    if transfer.issued_on and returned_on < transfer.issued_on:
        raise DomainError(_("回执日期不能早于介绍信开具日期。"), field="slip_returned_on")
    _move(transfer, actor, "slip", _("回执已退回"), {"slip_returned_on": returned_on})
    member_services.member_leave(
        actor=actor,
        member=transfer.member,
        left_on=returned_on,
        reason=LeaveReason.TRANSFERRED_OUT,
        note=_("转往%(o)s，介绍信 %(n)s") % {"o": transfer.external_org, "n": transfer.number},
    )
    return transfer


# --- into the platform ---------------------------------------------------------------------------------------------


@transaction.atomic
def transfer_in_receive(
    *, actor, target: Organization, external_org: str, incoming_letter_number: str = "", **person
) -> Transfer:
    """Receive a member from outside the platform: the member is created through the members service."""
    if actor is not None:
        check_in_scope(actor, target, MANAGE, ORG_SCOPE)
    _target_branch(target, None)
    external_org = _text(external_org, field="external_org", label=_("转出党组织名称"))
    letter = _text(
        incoming_letter_number, field="incoming_letter_number", label=_("来函编号"), required=False, limit=60
    )
    member = member_services.member_create(
        actor=actor,
        org=target,
        history_summary=_("由“%(o)s”转入（介绍信 %(l)s）") % {"o": external_org, "l": letter or "—"},
        **person,
    )
    transfer = Transfer.objects.create(
        number=_next_number(),
        kind=TransferKind.IN,
        status=TransferStatus.COMPLETED,
        member=member,
        member_name=member.name,
        target=target,
        external_org=external_org,
        incoming_letter_number=letter,
        reason=_("从平台外转入"),
        requested_by=_user(actor),
        closed_at=timezone.now(),
    )
    TransferEvent.objects.create(transfer=transfer, actor=_user(actor), after=TransferStatus.COMPLETED)
    audit.record(
        actor=actor,
        action="transfer.receive",
        obj=transfer,
        org=target,
        details={"member": mask_name(member.name), "from": external_org, "letter": letter},
    )
    return transfer


# --- floating members ---------------------------------------------------------------------------------------------


@transaction.atomic
def floating_set(*, actor, member: Member, is_floating: bool, place: str = "") -> Member:
    """Flag (or unflag) a floating member and where it works, through the members service."""
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    place = _text(place, field="floating_place", label=_("流动去向"), required=bool(is_floating))
    return member_services.member_update(
        actor=actor, member=member, is_floating=bool(is_floating), floating_place=place if is_floating else ""
    )
