"""Twelve months of dues for the demo zone (issue 3, §9), set-based so the zone scale (50,000 members) is fast.

Each member gets a dues profile (a base by category), the twelve months before the current one are opened,
mostly paid and closed; a few members stop paying (3+ months: an alert; 7 months: the art. 9 flag). The
current month is opened and about half paid, so the ledger has work to do. Idempotent. Through the dues services
at the demo scale; the bench scales keep two bulk statements (profiles, payments) that a test compares with the
services on a sample (hongyin/devtools/tests/test_seed_paths.py).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.utils import timezone

from hongyin.dues import services as dues_services
from hongyin.dues import setbased
from hongyin.dues.models import DuesMonthClose, DuesProfile, DuesRecord
from hongyin.dues.rules import add_months, month_start
from hongyin.members.models import Member
from hongyin.orgs.models import Organization

BASES = {
    "employed": [(2800, 4500), (4500, 9000), (9000, 16000), (16000, 30000)],
    "retired": [(2500, 4800), (5200, 8000)],
}


def profile_plan(rng: random.Random) -> list[tuple[int, Decimal, Decimal, Decimal | None]]:
    """A dues base for every active member without a profile: (member id, base, voluntary extra, farmer amount)."""
    have = set(DuesProfile.objects.values_list("member_id", flat=True))
    plan = []
    for member_id, category in Member.objects.filter(left_on__isnull=True).values_list("id", "category").iterator(5000):
        if member_id in have:
            continue
        low, high = rng.choice(BASES.get(category, [(0, 0)]))
        base = Decimal(rng.randrange(low, high + 1)) if high else Decimal("0")
        extra = Decimal(rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 10, 50]))
        farmer = Decimal(rng.choice(["0.2", "0.5", "1.0"])) if category == "farmer" else None
        plan.append((member_id, base, extra, farmer))
    return plan


def profiles_write_through_services(plan) -> None:
    members = Member.objects.select_related("org").in_bulk([row[0] for row in plan])
    for member_id, base, extra, farmer in plan:
        dues_services.dues_profile_set(
            actor=None, member=members[member_id], base=base, voluntary_extra=extra, farmer_amount=farmer
        )


def profiles_write_bulk(plan) -> None:
    rows = [DuesProfile(member_id=m, base=b, voluntary_extra=e, farmer_amount=f) for m, b, e, f in plan]
    DuesProfile.objects.bulk_create(rows, batch_size=5000)


def payers_sql(i: int) -> str:
    """Who pays month i of the twelve: most members; every 23rd misses now and then; every 97th stops for the last
    seven months (the art. 9 flag); every 41st misses the last three (an arrears alert)."""
    where = "(member_id %% 23 <> 0 OR member_id %% 3 <> " + str(i % 3) + ")"
    if i >= 5:
        where += " AND member_id %% 97 <> 0"
    if i >= 9:
        where += " AND member_id %% 41 <> 0"
    return where


def pays(i: int, member_id: int) -> bool:
    """`payers_sql(i)` in Python."""
    if member_id % 23 == 0 and member_id % 3 == i % 3:
        return False
    if i >= 5 and member_id % 97 == 0:
        return False
    return not (i >= 9 and member_id % 41 == 0)


def pay_through_services(org: Organization, month: date, paid_on: date, who) -> None:
    """The month's payments of the paying members, recorded as one bulk payment of the subtree (the bulk payment
    service: one statement, standings recomputed, one audit event); per branch it takes thirteen times longer."""
    unpaid = DuesRecord.objects.filter(branch__path__startswith=org.path, month=month, paid__lt=F("due"))
    member_ids = [m for m in unpaid.order_by("member_id").values_list("member_id", flat=True) if who(m)]
    if member_ids:
        dues_services.dues_pay_bulk(actor=None, branch=org, month=month, member_ids=member_ids, paid_on=paid_on)


def pay_bulk(month: date, paid_on: date, where: str) -> None:
    """The same payments in one statement (the zone and province bench data sets: 50,000 members a month)."""
    table = DuesRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET paid = due, paid_on = %s WHERE month = %s AND paid < due AND {where}",
            [paid_on, month],
        )


def seed_dues(zone, scale: str, rng: random.Random) -> None:
    """Months opened and closed through the dues services at every scale (set-based); profiles and payments through
    the per-member and bulk payment services at the demo scale, in bulk statements at the bench scales."""
    this = month_start(timezone.localdate())
    first = add_months(this, -12)
    if DuesMonthClose.objects.filter(org=zone.root, month=add_months(this, -1)).exists():
        return
    demo = scale == "demo"
    plan = profile_plan(rng)
    if demo:
        profiles_write_through_services(plan)
    else:
        profiles_write_bulk(plan)
    for i in range(12):
        month = add_months(first, i)
        dues_services.dues_month_open(actor=None, org=zone.root, month=month)
        paid_on = month + timedelta(days=rng.randrange(3, 25))
        if demo:
            pay_through_services(zone.root, month, paid_on, lambda member_id, i=i: pays(i, member_id))
        else:
            pay_bulk(month, paid_on, payers_sql(i))
        dues_services.dues_month_close(actor=None, org=zone.root, month=month)
    setbased.recompute_standings(path=zone.root.path)
    dues_services.dues_month_open(actor=None, org=zone.root, month=this)
    paid_on = min(this + timedelta(days=5), timezone.localdate())
    if demo:
        pay_through_services(zone.root, this, paid_on, lambda member_id: member_id % 2 == 0)
    else:
        pay_bulk(this, paid_on, "member_id %% 2 = 0")
