"""Twelve months of dues for the demo zone (issue 3, §9), set-based so the zone scale (50,000 members) is fast.

Each member gets a dues profile (a base by category), the twelve months before the current one are opened,
mostly paid and closed; a few members stop paying (3+ months: an alert; 7 months: the art. 9 flag). The
current month is opened and about half paid, so the ledger has work to do. Idempotent.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from hongyin.dues import services as dues_services
from hongyin.dues.models import DuesMonthClose, DuesProfile, DuesRecord
from hongyin.dues.rules import add_months, month_start
from hongyin.members.models import Member

BASES = {
    "employed": [(2800, 4500), (4500, 9000), (9000, 16000), (16000, 30000)],
    "retired": [(2500, 4800), (5200, 8000)],
}


def _profiles(rng: random.Random) -> None:
    have = set(DuesProfile.objects.values_list("member_id", flat=True))
    rows = []
    for member_id, category in Member.objects.filter(left_on__isnull=True).values_list("id", "category").iterator(5000):
        if member_id in have:
            continue
        low, high = rng.choice(BASES.get(category, [(0, 0)]))
        base = Decimal(rng.randrange(low, high + 1)) if high else Decimal("0")
        extra = Decimal(rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 10, 50]))
        farmer = Decimal(rng.choice(["0.2", "0.5", "1.0"])) if category == "farmer" else None
        rows.append(DuesProfile(member_id=member_id, base=base, voluntary_extra=extra, farmer_amount=farmer))
    DuesProfile.objects.bulk_create(rows, batch_size=5000)


def _pay(month, paid_on, where: str) -> None:
    table = DuesRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET paid = due, paid_on = %s WHERE month = %s AND paid < due AND {where}",
            [paid_on, month],
        )


def seed_dues(zone, scale: str, rng: random.Random) -> None:
    this = month_start(timezone.localdate())
    first = add_months(this, -12)
    if DuesMonthClose.objects.filter(org=zone.root, month=add_months(this, -1)).exists():
        return
    _profiles(rng)
    for i in range(12):
        month = add_months(first, i)
        dues_services._open_rows(zone.root, month)
        stop = i >= 5  # the last seven months: some members stop paying
        # most members pay; every 23rd misses now and then; every 97th stops for the last seven months
        where = "(member_id %% 23 <> 0 OR member_id %% 3 <> " + str(i % 3) + ")"
        if stop:
            where += " AND member_id %% 97 <> 0"
        if i >= 9:
            where += " AND member_id %% 41 <> 0"  # a 3-month arrears alert
        _pay(month, month + timedelta(days=rng.randrange(3, 25)), where)
        DuesRecord.objects.filter(month=month, closed=False).update(closed=True)
        totals = DuesRecord.objects.filter(month=month).aggregate(n=Count("pk"), due=Sum("due"), paid=Sum("paid"))
        DuesMonthClose.objects.get_or_create(
            org=zone.root,
            month=month,
            defaults={"members": totals["n"], "due_total": totals["due"] or 0, "paid_total": totals["paid"] or 0},
        )
    dues_services.recompute_standings(path=zone.root.path)
    dues_services._open_rows(zone.root, this)
    _pay(this, min(this + timedelta(days=5), timezone.localdate()), "member_id %% 2 = 0")
