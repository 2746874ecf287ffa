"""Benchmarks of the points ledger (issue 12): a branch's ranking and the zone's top 100 for a year (read from the
per-member year totals), and awarding through the rule engine (award_many, and award one by one)."""

import statistics
import time
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .registry import BenchContext, Result, Row, Skip, benchmark


class _Undo(Exception):
    pass


def _year():
    from hongyin.points.models import MemberYearTotal

    y = MemberYearTotal.objects.values("year").annotate(n=Count("id")).order_by("-n").values_list("year", flat=True)
    return y.first()


def _median_ms(func, runs: int = 30) -> float:
    for _ in range(3):
        func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


@benchmark("points_rank_branch_ms", unit="ms", better="lower", target=50, order=80)
def rank_branch(ctx: BenchContext):
    """The ranking of the largest branch for the year with most totals (median of 30)."""
    from hongyin.members.models import Member
    from hongyin.orgs.models import Organization
    from hongyin.points import selectors

    year = _year()
    if year is None:
        raise Skip("no points in the data set")
    top = (
        Member.objects.filter(left_on__isnull=True)
        .values("org_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("org_id", "n")
        .first()
    )
    branch = Organization.objects.get(pk=top[0])
    ms = _median_ms(lambda: selectors.branch_ranking(branch, year))
    return Result(ms, [Row("points_rank_branch_members", top[1], "members", "higher")])


@benchmark("points_rank_zone_ms", unit="ms", better="lower", target=300, order=81)
def rank_zone(ctx: BenchContext):
    """The zone's top 100 members for the year (median of 30), and the ledger's size beside it."""
    from hongyin.devtools.demo import lookup_zone
    from hongyin.points import selectors
    from hongyin.points.models import PointEntry

    year = _year()
    if year is None:
        raise Skip("no points in the data set")
    root = lookup_zone().root
    ms = _median_ms(lambda: selectors.subtree_ranking(root, year, limit=100), runs=10)
    return Result(ms, [Row("points_ledger_rows", PointEntry.objects.count(), "rows", "higher")])


@benchmark("points_award_per_s", unit="rows/s", better="higher", target=5000, order=82)
def award_rate(ctx: BenchContext):
    """20,000 awards through the rule engine with award_many (rules by date, caps, idempotency, totals), rolled
    back; award() one by one beside it."""
    from hongyin.members.models import Member
    from hongyin.points import services

    members = list(Member.objects.filter(left_on__isnull=True).order_by("id").values_list("id", flat=True)[:5000])
    if not members:
        raise Skip("no members in the data set")
    now = timezone.now()
    actions = ["meeting_attend", "activity_checkin", "quiz_pass", "feedback_post"]
    n = 20_000
    rows = [
        {
            "member": members[i % len(members)],
            "action": actions[i % len(actions)],
            "source": ("points.benchaward", i),
            "occurred_at": now,
        }
        for i in range(n)
    ]
    written = 0
    try:
        with transaction.atomic():
            start = time.perf_counter()
            written = services.award_many(rows)
            many = time.perf_counter() - start
            single_n = 500
            start = time.perf_counter()
            for i in range(single_n):
                services.award(
                    member=members[i % len(members)],
                    action="meeting_attend",
                    source=("points.benchsingle", i),
                    occurred_at=datetime(now.year, now.month, now.day, 9, tzinfo=now.tzinfo),
                )
            single = time.perf_counter() - start
            raise _Undo
    except _Undo:
        pass
    return Result(
        round(n / many, 1),
        [
            Row("points_award_written", written, "rows", "higher"),
            Row("points_award_single_per_s", round(single_n / single, 1), "rows/s", "higher"),
        ],
    )
