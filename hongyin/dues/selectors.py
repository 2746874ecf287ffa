"""Reads on dues, always starting from the scoped querysets of permissions.py."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Greatest

from hongyin.common.money import to_money
from hongyin.members.models import Member
from hongyin.orgs.models import Organization

from .models import DuesRecord, DuesStanding
from .permissions import dues_records_visible_to, standings_visible_to
from .services import ALERT_MONTHS

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=12, decimal_places=2)


def _arrears_expr():
    return Greatest(ExpressionWrapper(F("due") - F("paid"), output_field=MONEY), ZERO, output_field=MONEY)


def ledger(*, user, branch: Organization, month: date) -> tuple[QuerySet[DuesRecord], dict]:
    """The month's records of one branch (due, paid, arrears) and the totals."""
    rows = (
        dues_records_visible_to(user)
        .filter(branch=branch, month=month)
        .select_related("member")
        .order_by("member__name_pinyin", "member_id")
    )
    totals = rows.aggregate(
        n=Count("pk"),
        due_total=Coalesce(Sum("due"), ZERO, output_field=MONEY),
        paid_total=Coalesce(Sum("paid"), ZERO, output_field=MONEY),
        arrears_total=Coalesce(Sum(_arrears_expr()), ZERO, output_field=MONEY),
        unpaid=Count("pk", filter=Q(paid__lt=F("due"))),
    )
    for key in ("due_total", "paid_total", "arrears_total"):
        totals[key] = to_money(totals[key])
    return rows, totals


def paid_until(member_id: int) -> date | None:
    """The last month the member paid in full (the transfer letter prints it)."""
    return (
        DuesRecord.objects.filter(member_id=member_id, paid__gte=F("due"))
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def my_records(*, user) -> QuerySet[DuesRecord]:
    return dues_records_visible_to(user).filter(member__user=user).order_by("-month")


def my_standing(*, user) -> dict | None:
    """The signed-in member's own standing: branch, the last month paid in full, closed months in arrears.

    One definition for the member's workbench and the "my dues" page. None when the account is no member's."""
    member = Member.objects.filter(user=user, left_on__isnull=True).select_related("org").first()
    if member is None:
        return None
    standing = standings_visible_to(user).filter(member=member).first()
    return {
        "member": member,
        "branch": member.org,
        "paid_until": paid_until(member.pk),
        "arrears_months": standing.arrears_months if standing else 0,
        "arrears_amount": to_money(standing.arrears_amount if standing else 0),
    }


def arrears_list(
    *, user, min_months: int = ALERT_MONTHS, below: int | None = None, org: Organization | None = None
) -> QuerySet[DuesStanding]:
    """Members with at least `min_months` consecutive closed months unpaid (and fewer than `below`, if given)."""
    qs = standings_visible_to(user).filter(arrears_months__gte=min_months, member__left_on__isnull=True)
    if below is not None:
        qs = qs.filter(arrears_months__lt=below)
    if org is not None:
        qs = qs.filter(branch__path__startswith=org.path)
    return qs.select_related("member", "branch").order_by("-arrears_months", "member_id")


def collection_report(*, user, org: Organization, start: date, end: date) -> tuple[list[dict], dict]:
    """Per branch of the subtree: members, due, paid, arrears and rate, for the months start..end (inclusive)."""
    qs = dues_records_visible_to(user).filter(branch__path__startswith=org.path, month__gte=start, month__lte=end)
    rows = list(
        qs.values("branch_id", "branch__name")
        .annotate(
            members=Count("member_id", distinct=True),
            due_total=Coalesce(Sum("due"), ZERO, output_field=MONEY),
            paid_total=Coalesce(Sum("paid"), ZERO, output_field=MONEY),
            arrears_total=Coalesce(Sum(_arrears_expr()), ZERO, output_field=MONEY),
        )
        .order_by("branch__name")
    )
    totals = {"members": 0, "due_total": to_money(0), "paid_total": to_money(0), "arrears_total": to_money(0)}
    for r in rows:
        for key in ("due_total", "paid_total", "arrears_total"):
            r[key] = to_money(r[key])
        r["rate"] = _rate(r["paid_total"], r["due_total"])
        for key in totals:
            totals[key] += r[key]
    totals["rate"] = _rate(totals["paid_total"], totals["due_total"])
    return rows, totals


def _rate(paid: Decimal, due: Decimal) -> float | None:
    return round(float(paid) / float(due) * 100, 1) if due else None
