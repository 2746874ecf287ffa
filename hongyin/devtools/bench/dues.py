"""Benchmarks of dues (issue 3): the month close of the whole zone (50,000 members at zone scale) and the ledger."""

import statistics
import time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .registry import BenchContext, Result, Row, Skip, benchmark


class _Undo(Exception):
    pass


@benchmark("dues_month_close_s", unit="s", better="lower", target=10, order=60)
def dues_month_close(ctx: BenchContext):
    """Generate the current month's dues of every member of the zone and close it (set-based SQL).

    Each run starts from a month without records (deleted untimed) and is rolled back; the median of 3 runs.
    """
    from hongyin.accounts.models import User
    from hongyin.devtools.demo import lookup_zone
    from hongyin.dues import services
    from hongyin.dues.models import DuesMonthClose, DuesRecord
    from hongyin.dues.rules import month_start
    from hongyin.members.models import Member

    zone = lookup_zone()
    admin = User.objects.get(username="zone_admin")
    month = month_start(timezone.localdate())
    members = Member.objects.filter(left_on__isnull=True, org__path__startswith=zone.root.path).count()
    if not members:
        raise Skip("no members in the data set")
    totals, opens, closes, cpu, rows = [], [], [], [], 0
    for _ in range(3):
        try:
            with transaction.atomic():
                DuesRecord.objects.filter(month=month).delete()
                DuesMonthClose.objects.filter(month=month).delete()
                start, cpu_start = time.perf_counter(), time.process_time()
                rows = services.dues_month_open(actor=admin, org=zone.root, month=month)
                opened = time.perf_counter()
                services.dues_month_close(actor=admin, org=zone.root, month=month)
                end, cpu_end = time.perf_counter(), time.process_time()
                raise _Undo
        except _Undo:
            pass
        totals.append(end - start)
        opens.append(opened - start)
        closes.append(end - opened)
        cpu.append(cpu_end - cpu_start)
    return Result(
        round(statistics.median(totals), 3),
        [
            Row("dues_month_close_members", members, "members", "higher"),
            Row("dues_month_close_records", rows, "rows", "higher"),
            Row("dues_month_open_s", round(statistics.median(opens), 3), "s", "lower"),
            Row("dues_month_close_only_s", round(statistics.median(closes), 3), "s", "lower"),
            # CPU time of this process (SQLite runs in-process): what the figure is on a machine not shared
            Row("dues_month_close_cpu_s", round(statistics.median(cpu), 3), "s", "lower"),
        ],
    )


@benchmark("dues_ledger_p95_ms", unit="ms", better="lower", order=61)
def dues_ledger(ctx: BenchContext):
    from hongyin.accounts.models import User

    secretary = User.objects.get(username="branch_secretary")
    branch = secretary.assignments[0].org
    return ctx.time_page(f"{reverse('dues:ledger')}?branch={branch.pk}", "branch_secretary", name="dues_ledger_p95_ms")
