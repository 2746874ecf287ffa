"""The points rule set of the demo (two versions: the second, effective some months ago, asks a longer dwell for
study and caps feedback lower), a few manual adjustments by the demo secretary. The ledger itself is written by the
other apps' seed steps (meetings, activities, study, quizzes ...) through `award_many`, after this step.

At zone scale (and above) a large synthetic ledger for the year before is added with set-based SQL (source type
"points.bench"), as many rows as fit in about a minute up to 10 million, and its year totals: the rankings and the
bench read them."""

import random
import time
from datetime import date

from django.db import connection
from django.utils import timezone

from hongyin.accounts.models import User
from hongyin.members.models import Member

from . import services
from .models import PointEntry, RuleSet

V1 = {
    "meeting_attend": {"points": 5},
    "activity_checkin": {"points": 3, "daily_cap": 9},
    "volunteer_hours": {"points": 2, "daily_cap": 16},
    "study_finish": {"points": 2, "daily_cap": 10, "min_dwell_seconds": 180},
    "quiz_pass": {"points": 5, "daily_cap": 10},
    "feedback_post": {"points": 1, "daily_cap": 5},
}
V2 = {
    **V1,
    "study_finish": {"points": 2, "daily_cap": 10, "min_dwell_seconds": 300},
    "feedback_post": {"points": 1, "daily_cap": 3},
    "volunteer_hours": {"points": 2, "daily_cap": 16, "multiplier": "1.5"},
}
ADJUSTMENTS = [(5, "疫情防控志愿服务表现突出"), (3, "帮扶困难党员"), (-2, "无故缺席主题党日，补记扣分")]
BENCH_ROWS = {"zone": 10_000_000, "province": 10_000_000}
BENCH_SECONDS = 60
PER_MEMBER = 200
BENCH_SOURCE = "points.bench"


def seed_points(zone, scale: str, rng: random.Random) -> int:
    today = timezone.localdate()
    made = 0
    if not RuleSet.objects.exists():
        services.ruleset_create(
            actor=None, effective_from=date(today.year - 3, 1, 1), rules=V1, note="首版积分规则", allow_past=True
        )
        v2_from = date(today.year, 1, 1) if today.month > 3 else date(today.year - 1, 7, 1)
        services.ruleset_create(
            actor=None,
            effective_from=v2_from,
            rules=V2,
            note="提高学习最短时长，交流研讨每日上限降为 3 分，志愿服务 1.5 倍",
            allow_past=True,
        )
        made += 2
    secretary = User.objects.filter(username="branch_secretary").first()
    if secretary is not None and secretary.assignments:
        branch = secretary.assignments[0].org
        others = list(
            Member.objects.filter(org=branch, left_on__isnull=True).exclude(user=secretary).order_by("id")[:3]
        )
        if not PointEntry.objects.filter(action="manual").exists():
            for m, (pts, reason) in zip(others, ADJUSTMENTS, strict=False):
                services.adjustment_grant(actor=secretary, member=m, points=pts, reason=reason)
                made += 1
    if scale in BENCH_ROWS:
        made += bench_ledger(today.year - 1, BENCH_ROWS[scale], seconds=BENCH_SECONDS)
    return made


def bench_ledger(year: int, limit: int, *, seconds: float, per_chunk: int = 250) -> int:
    """Synthetic ledger rows for `year`: PER_MEMBER per member (members in id order), in set-based INSERTs of
    `per_chunk` members each (the time budget is checked between them), until `limit` rows or `seconds` have
    passed. Returns the rows written."""
    if PointEntry.objects.filter(source_type=BENCH_SOURCE).exists():
        return 0
    ids = list(Member.objects.order_by("id").values_list("id", flat=True))
    vendor = connection.vendor
    start = time.monotonic()
    written = 0
    with connection.cursor() as cur:
        for i in range(0, len(ids), per_chunk):
            if written >= limit or time.monotonic() - start > seconds:
                break
            lo, hi = ids[i], ids[min(i + per_chunk, len(ids)) - 1]
            cur.execute(*_statement(vendor, year=year, lo=lo, hi=hi))
            written += (min(i + per_chunk, len(ids)) - i) * PER_MEMBER
        cur.execute(
            "SELECT member_id, SUM(points), COUNT(*) FROM points_pointentry WHERE source_type = %s GROUP BY member_id",
            [BENCH_SOURCE],
        )
        totals = {(m, year): [int(s), int(n)] for m, s, n in cur.fetchall()}
    services.add_totals(totals)
    return written


def _statement(vendor: str, *, year: int, lo: int, hi: int) -> tuple[str, list]:
    """One set-based INSERT of PER_MEMBER rows for each member lo..hi: the action cycles over the six, the day
    spreads over the year, 1..5 points."""
    if vendor == "postgresql":
        sql = """
INSERT INTO points_pointentry
  (member_id, action, source_type, source_id, occurred_at, day, year, quantity, points, rule_version, created_at)
SELECT m.id,
  (ARRAY['meeting_attend','activity_checkin','volunteer_hours','study_finish','quiz_pass','feedback_post'])[1 + n %% 6],
  %s, (m.id::bigint * 1000 + n)::text,
  (make_date(%s, 1, 1) + ((m.id * 7 + n * 37) %% 365)::int + time '10:00')::timestamptz,
  make_date(%s, 1, 1) + ((m.id * 7 + n * 37) %% 365)::int,
  %s, 1, 1 + (m.id + n) %% 5, 1, now()
FROM members_member m CROSS JOIN generate_series(1, %s) AS n
WHERE m.id BETWEEN %s AND %s
ORDER BY m.id, n
"""
        return sql, [BENCH_SOURCE, year, year, year, PER_MEMBER, lo, hi]
    sql = """
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s)
INSERT INTO points_pointentry
  (member_id, action, source_type, source_id, occurred_at, day, year, quantity, points, rule_version, created_at)
SELECT m.id,
  CASE s.n %% 6 WHEN 0 THEN 'meeting_attend' WHEN 1 THEN 'activity_checkin' WHEN 2 THEN 'volunteer_hours'
    WHEN 3 THEN 'study_finish' WHEN 4 THEN 'quiz_pass' ELSE 'feedback_post' END,
  %s, CAST(m.id * 1000 + s.n AS TEXT),
  date(%s || '-01-01', '+' || ((m.id * 7 + s.n * 37) %% 365) || ' days') || ' 02:00:00',
  date(%s || '-01-01', '+' || ((m.id * 7 + s.n * 37) %% 365) || ' days'),
  %s, 1, 1 + (m.id + s.n) %% 5, 1, datetime('now')
FROM members_member m, s
WHERE m.id BETWEEN %s AND %s
ORDER BY m.id, s.n
"""
    return sql, [PER_MEMBER, BENCH_SOURCE, str(year), str(year), year, lo, hi]
