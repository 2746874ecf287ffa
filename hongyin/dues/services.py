"""Writes on dues. Month opening, bulk payment and month close are set-based SQL (one statement per step), so a
zone of 50,000 members closes a month in seconds; single writes use the ORM. Every function is audited."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.fields import mask_name
from hongyin.common.money import to_money
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify
from hongyin.common.permissions import check_in_scope
from hongyin.members.models import Member
from hongyin.members.permissions import MEMBER_SCOPE
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import ORG_SCOPE

from . import setbased
from .models import (
    DuesMonthClose,
    DuesProfile,
    DuesRecord,
    DuesReduction,
    DuesStanding,
    PaymentMethod,
    ReductionKind,
    ReductionStatus,
)
from .rules import CENT, month_start, monthly_amount, validate_farmer_amount

MANAGE = "dues.manage"
APPROVE = "dues.approve"
ALERT_MONTHS = 3
FLAG_MONTHS = 6
MAX_PAYMENT = Decimal("100000")


def _money(value, *, field: str, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise DomainError(_("请填写正确的金额（元）。"), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(_("金额必须大于 0。") if not allow_zero else _("金额不能为负数。"), field=field)
    if amount > MAX_PAYMENT or amount != amount.quantize(CENT):
        raise DomainError(_("金额不合理：最多两位小数，且不超过 100000 元。"), field=field)
    return amount.quantize(CENT)


def _check_member(actor, member: Member) -> None:
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)


def _check_org(actor, org: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)


def _check_month(month: date, *, field: str = "month") -> date:
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise DomainError(_("不能处理未来月份的党费。"), field=field)
    return month


# --- amounts ---------------------------------------------------------------------------------------------------


def approved_reduction(member: Member, month: date) -> DuesReduction | None:
    return (
        DuesReduction.objects.filter(
            member=member, status=ReductionStatus.APPROVED, start_month__lte=month, end_month__gte=month
        )
        .order_by("-id")
        .first()
    )


def amount_for(member: Member, month: date) -> Decimal:
    """The member's dues for the month: an approved reduction or exemption, else the bracket amount plus extra."""
    reduction = approved_reduction(member, month)
    if reduction is not None:
        return reduction.monthly_amount
    profile = DuesProfile.objects.filter(member=member).first()
    if profile is None:
        return monthly_amount(category=member.category)
    return monthly_amount(
        category=member.category,
        base=profile.base,
        voluntary_extra=profile.voluntary_extra,
        farmer_amount=profile.farmer_amount,
    )


@transaction.atomic
def dues_profile_set(
    *,
    actor,
    member: Member,
    base,
    voluntary_extra=Decimal("0"),
    farmer_amount=None,
) -> DuesProfile:
    _check_member(actor, member)
    base = _money(base, field="base")
    extra = _money(voluntary_extra or "0", field="voluntary_extra")
    farmer = None if farmer_amount in (None, "") else _money(farmer_amount, field="farmer_amount")
    if farmer is not None:
        validate_farmer_amount(farmer)
    profile, _created = DuesProfile.objects.get_or_create(member=member)
    before = {"base": str(profile.base), "voluntary_extra": str(profile.voluntary_extra)}
    profile.base, profile.voluntary_extra, profile.farmer_amount = base, extra, farmer
    profile.save()
    # the open record of the current month follows the new base
    month = month_start(timezone.localdate())
    if approved_reduction(member, month) is None:
        DuesRecord.objects.filter(member=member, month=month, closed=False).update(due=amount_for(member, month))
    audit.record(
        actor=actor,
        action="dues.profile_set",
        obj=member,
        org=member.org,
        details={"before": before, "after": {"base": str(base), "voluntary_extra": str(extra)}},
    )
    return profile


# --- month opening ---------------------------------------------------------------------------------------------


@transaction.atomic
def dues_month_open(*, actor, org: Organization, month: date) -> int:
    """Create the month's dues records for every active member of the organization's subtree (idempotent)."""
    _check_org(actor, org)
    month = _check_month(month)
    created = setbased.open_rows(org, month)
    audit.record(
        actor=actor, action="dues.month_open", obj=org, org=org, details={"month": f"{month:%Y-%m}", "created": created}
    )
    return created


# --- payments ----------------------------------------------------------------------------------------------------


def _check_paid_on(paid_on: date | None, month: date) -> date:
    """The payment date: today when not given, never in the future, never before the month it pays."""
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise DomainError(_("缴纳日期不能晚于今天。"), field="paid_on")
    if paid_on < month:
        raise DomainError(_("缴纳日期不能早于所缴月份（%(m)s）。") % {"m": f"{month:%Y-%m}"}, field="paid_on")
    return paid_on


def _check_method(method: str | None) -> str:
    """None: not asked (older API clients); otherwise one of the payment methods."""
    if method is None:
        return ""
    if method not in PaymentMethod.values:
        raise DomainError(_("请选择缴纳方式。"), field="method")
    return method


@transaction.atomic
def dues_pay(
    *, actor, member: Member, month: date, amount, paid_on: date | None = None, method: str | None = None
) -> DuesRecord:
    """Record a payment of one member for one month (also for a closed month: paying arrears back)."""
    _check_member(actor, member)
    month = _check_month(month)
    amount = _money(amount, field="amount", allow_zero=False)
    method = _check_method(method)
    paid_on = _check_paid_on(paid_on, month)
    if member.left_on and month > month_start(member.left_on):
        raise DomainError(_("该党员已离开党组织，不能登记此后月份的党费。"), field="month")
    if month_start(member.joined_on) > month:
        raise DomainError(_("该月份早于该党员的入党日期。"), field="month")
    record = DuesRecord.objects.select_for_update().filter(member=member, month=month).first()
    if record is None:
        record = DuesRecord.objects.create(
            member=member, branch_id=member.org_id, month=month, due=amount_for(member, month)
        )
    record.paid = record.paid + amount
    record.paid_on = paid_on
    record.method = method
    record.save(update_fields=["paid", "paid_on", "method"])
    setbased.recompute_standings(member_ids=[member.pk])
    audit.record(
        actor=actor,
        action="dues.pay",
        obj=record,
        org=member.org,
        details={
            "member": mask_name(member.name),
            "month": f"{month:%Y-%m}",
            "amount": str(amount),
            "paid_on": paid_on.isoformat(),
            "method": method,
        },
    )
    return record


@transaction.atomic
def dues_payment_correct(
    *, actor, record: DuesRecord, amount, paid_on: date | None, method: str, reason: str
) -> DuesRecord:
    """Correct a recorded payment (the amount paid for the month, its date and method) while the month is open."""
    record = DuesRecord.objects.select_for_update(of=("self",)).select_related("member").get(pk=record.pk)
    _check_member(actor, record.member)
    if record.closed:
        raise DomainError(
            _("%(m)s 已结账，不能再更正这笔缴纳；如有差额，请在本月登记补缴。") % {"m": f"{record.month:%Y-%m}"}
        )
    if record.paid <= 0:
        raise DomainError(_("该月还没有登记缴纳，没有可更正的记录。"))
    amount = _money(amount, field="amount", allow_zero=False)
    method = _check_method(method or "")
    if paid_on is None:
        raise DomainError(_("请填写缴纳日期。"), field="paid_on")
    paid_on = _check_paid_on(paid_on, record.month)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError(_("请写明更正原因。"), field="reason")
    before = {
        "amount": str(record.paid),
        "paid_on": record.paid_on.isoformat() if record.paid_on else "",
        "method": record.method,
    }
    record.paid, record.paid_on, record.method = amount, paid_on, method
    record.save(update_fields=["paid", "paid_on", "method"])
    setbased.recompute_standings(member_ids=[record.member_id])
    audit.record(
        actor=actor,
        action="dues.pay_correct",
        obj=record,
        org=record.member.org,
        details={
            "member": mask_name(record.member.name),
            "month": f"{record.month:%Y-%m}",
            "before": before,
            "after": {"amount": str(amount), "paid_on": paid_on.isoformat(), "method": method},
            "reason": reason[:200],
        },
    )
    return record


@transaction.atomic
def dues_pay_bulk(
    *,
    actor,
    branch: Organization,
    month: date,
    member_ids: Iterable[int] | None = None,
    paid_on: date | None = None,
    method: str | None = None,
) -> int:
    """Mark the month's dues of the branch's members (all, or the given ones) as paid in full, in one statement."""
    _check_org(actor, branch)
    month = _check_month(month)
    method = _check_method(method)
    paid_on = _check_paid_on(paid_on, month)
    setbased.open_rows(branch, month)
    qs = DuesRecord.objects.filter(branch__path__startswith=branch.path, month=month, paid__lt=F("due"))
    if member_ids is not None:
        ids = [int(i) for i in member_ids]
        if not ids:
            raise DomainError(_("请选择要登记的党员。"), field="member_ids")
        qs = qs.filter(member_id__in=ids)
    affected = list(qs.values_list("member_id", flat=True)) if member_ids is not None else None
    count = qs.update(paid=F("due"), paid_on=paid_on, method=method)
    if affected is not None:
        setbased.recompute_standings(member_ids=affected)
    else:
        setbased.recompute_standings(path=branch.path)
    audit.record(
        actor=actor,
        action="dues.pay_bulk",
        obj=branch,
        org=branch,
        details={"month": f"{month:%Y-%m}", "records": count, "paid_on": paid_on.isoformat(), "method": method},
    )
    return count


# --- month close ----------------------------------------------------------------------------------------------------


@transaction.atomic
def dues_month_close(*, actor, org: Organization, month: date) -> DuesMonthClose:
    """Close a month for a subtree: create missing records, freeze them, recompute arrears, alert at 3 and 6."""
    _check_org(actor, org)
    month = _check_month(month)
    if DuesMonthClose.objects.filter(org=org, month=month).exists():
        raise DomainError(_("%(m)s 的党费已经结账。") % {"m": f"{month:%Y-%m}"}, field="month")
    setbased.open_rows(org, month)
    records = DuesRecord.objects.filter(branch__path__startswith=org.path, month=month)
    later_closed = DuesRecord.objects.filter(branch__path__startswith=org.path, month__gt=month, closed=True).exists()
    records.filter(closed=False).update(closed=True)
    if later_closed:  # closing an older month after a newer one: recount from the records
        setbased.recompute_standings(path=org.path)
    else:
        setbased.advance_standings(org.path, month)
    totals = records.aggregate(n=Count("pk"), due=Sum("due"), paid=Sum("paid"))
    close = DuesMonthClose.objects.create(
        org=org,
        month=month,
        members=totals["n"] or 0,
        due_total=to_money(totals["due"]),
        paid_total=to_money(totals["paid"]),
        closed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    flagged = DuesStanding.objects.filter(branch__path__startswith=org.path, arrears_months__gte=ALERT_MONTHS)
    counts = flagged.aggregate(alert=Count("pk"), art9=Count("pk", filter=Q(arrears_months__gte=FLAG_MONTHS)))
    audit.record(
        actor=actor,
        action="dues.month_close",
        obj=close,
        org=org,
        details={
            "month": f"{month:%Y-%m}",
            "members": close.members,
            "due": str(close.due_total),
            "paid": str(close.paid_total),
            "arrears_3": counts["alert"],
            "arrears_6": counts["art9"],
        },
    )
    if actor is not None and getattr(actor, "is_authenticated", False) and counts["alert"]:
        notify(
            user=actor,
            title=text("dues.month_close_arrears", n=counts["alert"], m=counts["art9"]),
        )
    return close


# --- reduction and exemption --------------------------------------------------------------------------------------


@transaction.atomic
def dues_reduction_request(
    *,
    actor,
    member: Member,
    kind: str,
    start_month: date,
    end_month: date,
    reason: str,
    monthly_amount: Decimal | str = "0",
) -> DuesReduction:
    """The branch, after study, asks the higher committee to reduce or exempt a member's dues."""
    _check_member(actor, member)
    if kind not in ReductionKind.values:
        raise DomainError(_("请选择减缴或免缴。"), field="kind")
    start_month, end_month = month_start(start_month), month_start(end_month)
    if end_month < start_month:
        raise DomainError(_("截止月份不能早于起始月份。"), field="end_month")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(_("请写明减免理由（支部研究意见）。"), field="reason")
    amount = (
        Decimal("0")
        if kind == ReductionKind.EXEMPT
        else _money(monthly_amount, field="monthly_amount", allow_zero=False)
    )
    if kind == ReductionKind.REDUCE:
        regular = amount_for(member, start_month)
        if amount >= regular:
            raise DomainError(_("减缴后的金额应低于按规定应缴的 %(a)s 元。") % {"a": regular}, field="monthly_amount")
    if DuesReduction.objects.filter(
        member=member,
        status__in=[ReductionStatus.REQUESTED, ReductionStatus.APPROVED],
        start_month__lte=end_month,
        end_month__gte=start_month,
    ).exists():
        raise DomainError(_("该党员在这段时间已有减免申请或已批准的减免。"), field="start_month")
    reduction = DuesReduction.objects.create(
        member=member,
        branch=member.org,
        kind=kind,
        monthly_amount=amount,
        start_month=start_month,
        end_month=end_month,
        reason=reason[:300],
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action="dues.reduction_request",
        obj=reduction,
        org=member.org,
        details={"member": mask_name(member.name), "kind": kind, "amount": str(amount)},
    )
    return reduction


def _is_higher_committee(actor, branch: Organization) -> bool:
    from hongyin.common.roles import roles_with

    allowed = roles_with(APPROVE)
    return any(
        a.role in allowed and a.org_id and branch.path.startswith(a.org.path) and a.org.path != branch.path
        for a in actor.assignments
    )


@transaction.atomic
def dues_reduction_decide(*, actor, reduction: DuesReduction, approve: bool, note: str = "") -> DuesReduction:
    """The higher committee approves or refuses; an approval re-prices the open records of the period."""
    reduction = (
        DuesReduction.objects.select_for_update(of=("self",)).select_related("member", "branch").get(pk=reduction.pk)
    )
    if actor is None or not actor.has_role_perm(APPROVE) or not _is_higher_committee(actor, reduction.branch):
        raise DomainError(_("党费减免须由上级党委审批。"))
    if reduction.status != ReductionStatus.REQUESTED:
        raise DomainError(_("该申请已处理（%(s)s）。") % {"s": reduction.get_status_display()})
    if not approve and not (note or "").strip():
        raise DomainError(_("不批准时请填写审批意见。"), field="note")
    reduction.status = ReductionStatus.APPROVED if approve else ReductionStatus.REFUSED
    reduction.decided_by = actor
    reduction.decided_at = timezone.now()
    reduction.decision_note = (note or "").strip()[:300]
    reduction.save()
    if approve:
        DuesRecord.objects.filter(
            member=reduction.member,
            closed=False,
            month__gte=reduction.start_month,
            month__lte=reduction.end_month,
        ).update(due=reduction.monthly_amount)
    audit.record(
        actor=actor,
        action="dues.reduction_decide",
        obj=reduction,
        org=reduction.branch,
        details={"approve": approve, "note": reduction.decision_note},
    )
    if reduction.requested_by_id:
        notify(
            user=reduction.requested_by,
            title=text("dues.reduction_approved" if approve else "dues.reduction_returned"),
            body=reduction.decision_note,
        )
    return reduction
