"""Appeals, SLA sweep and policy matching benchmarks (issue 6)."""

from django.db import connection, transaction
from django.urls import reverse

from .registry import BenchContext, Result, Row, Skip, benchmark


def _user(username: str):
    from hongyin.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise Skip(f"no user {username}")
    return user


@benchmark("appeal_queue_p95_ms", unit="ms", better="lower", target=150, order=60)
def appeal_queue(ctx: BenchContext):
    return ctx.time_page(reverse("appeals:queue") + "?view=dept", "dept_handler", name="appeal_queue_p95_ms")


def _stats_selector(user):
    from hongyin.appeals.selectors import appeal_figures

    return appeal_figures(user=user)


STATS_SQL = """
SELECT COUNT(*),
       SUM(CASE WHEN dispatched_on IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN accepted_in_time THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'closed' AND closed_in_time THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'closed' AND resolved THEN 1 ELSE 0 END),
       SUM(CASE WHEN rating <> '' THEN 1 ELSE 0 END),
       SUM(CASE WHEN rating IN ('satisfied', 'basic') THEN 1 ELSE 0 END),
       AVG(CASE WHEN status = 'closed' THEN handling_days END)
FROM appeals_appeal
"""


def _stats_sql():
    with connection.cursor() as cursor:
        cursor.execute(STATS_SQL)
        return cursor.fetchone()


@benchmark("appeal_stats_zone_ms", unit="ms", better="lower", target=300, order=61)
def appeal_stats_zone(ctx: BenchContext):
    """The zone's five figures through the scoped selector, and the same by one hand-written SQL statement."""
    user = _user("zone_admin")
    figures = _stats_selector(user)
    raw = _stats_sql()
    if figures["total"] != raw[0]:
        raise Skip(f"selector counted {figures['total']} appeals, SQL {raw[0]}")
    ours = ctx.timed(lambda: _stats_selector(user), repeat=7)
    sql = ctx.timed(_stats_sql, repeat=7)
    from hongyin.appeals.selectors import appeal_figures_by

    by_dept = ctx.timed(lambda: appeal_figures_by(user=user, by="department"), repeat=3)
    return Result(
        ours,
        [
            Row("appeal_stats_sql_ms", sql, "ms", "lower"),
            Row("appeal_stats_vs_sql_x", round(ours / sql, 2) if sql else None, "x", "lower", target=3),
            Row("appeal_stats_by_department_ms", by_dept, "ms", "lower"),
            Row("appeal_count", figures["total"], "appeals", "higher"),
        ],
    )


@benchmark("sla_sweep_s", unit="s", better="lower", target=2, order=62)
def sla_sweep_bench(ctx: BenchContext):
    """A full sweep (every level reset first) over all open and closed appeals, rolled back afterwards."""
    import time

    from hongyin.appeals.models import Appeal
    from hongyin.appeals.sla import sla_sweep

    total = Appeal.objects.count()
    result = {}
    elapsed = 0.0

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            Appeal.objects.update(sla_level=0)
            start = time.perf_counter()
            result = sla_sweep()
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return Result(
        round(elapsed, 3),
        [
            Row("sla_sweep_appeals", total, "appeals", "higher"),
            Row(
                "sla_sweep_touched",
                result.get("urged", 0) + result.get("overdue", 0) + result.get("escalated", 0),
                "appeals",
                "higher",
            ),
        ],
    )


@benchmark("policy_match_enterprise_ms", unit="ms", better="lower", target=100, order=63)
def policy_match_enterprise(ctx: BenchContext):
    from hongyin.enterprises.models import Enterprise
    from hongyin.policies.matching import policies_for_enterprise
    from hongyin.policies.models import Policy

    enterprises = list(Enterprise.objects.exclude(industry_code="").order_by("id")[:20])
    if not enterprises:
        raise Skip("no enterprises")
    it = iter(enterprises * 10)
    ms = ctx.timed(lambda: policies_for_enterprise(next(it)), repeat=15)
    return Result(ms, [Row("policy_count", Policy.objects.count(), "policies", "higher")])


@benchmark("policy_match_policy_ms", unit="ms", better="lower", target=100, order=64)
def policy_match_policy(ctx: BenchContext):
    from hongyin.policies.matching import qualifying_enterprises
    from hongyin.policies.models import Policy

    policies = list(Policy.objects.order_by("id")[:20])
    if not policies:
        raise Skip("no policies")
    it = iter(policies * 10)

    def run():
        qs = qualifying_enterprises(next(it))
        return qs.count(), list(qs.order_by("name").values_list("id", flat=True)[:200])

    return ctx.timed(run, repeat=15)
