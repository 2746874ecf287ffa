"""Organizational life benchmarks (issue 12): the zone's compliance report, the same figures by one hand-written
SQL statement, and a meeting's page."""

from datetime import date

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from .registry import BenchContext, Result, Row, Skip, benchmark


def _zone_admin():
    from hongyin.accounts.models import User

    user = User.objects.filter(username="zone_admin").first()
    if user is None:
        raise Skip("no zone_admin")
    return user


def _report(user, org, start: date, end: date, today: date):
    from hongyin.orglife.selectors import compliance

    report = compliance(user=user, org=org, start=start, end=end, today=today)
    return report, report.totals()


def compliance_sql(org, start: date, end: date, today: date) -> dict[str, tuple[int, int, int, int]]:
    """kind -> (required, held, missing periods, branches behind) of every branch under `org`, by one statement:
    the ended periods of the active rules are its parameters (the calendar: months, quarters, years), the rest
    (branches alive in a period, reported meetings counted per period and capped at the required number,
    exemptions covering a period whole) is SQL. The selector's figures must be the same (test)."""
    from hongyin.orglife.models import COUNTED_STATUSES, RequiredFrequency
    from hongyin.orglife.periods import add_months, month_start, periods
    from hongyin.orgs.models import BRANCH_KINDS

    start, end = month_start(start), month_start(end)
    last_day = add_months(end, 1)
    spans = []
    for rule in RequiredFrequency.objects.filter(active=True).order_by("kind"):
        for s in periods(rule.period, start, end):
            if s.ended(today):
                spans.append((rule.kind, rule.times, max(s.start, start), min(s.end, last_day), s.start, s.end))
    if not spans:
        return {}
    as_date = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    row = f"(%s, %s, {as_date}, {as_date}, {as_date}, {as_date}, {as_date})"
    values = ", ".join([row] * len(spans))
    params: list = []
    for kind, times, count_from, count_to, p_start, p_end in spans:
        params += [kind, times, count_from, count_to, p_start, p_end, month_start(p_end)]
    kinds = ", ".join(["%s"] * len(BRANCH_KINDS))
    statuses = ", ".join(["%s"] * len(COUNTED_STATUSES))
    sql = f"""
    WITH p (kind, times, count_from, count_to, p_start, p_end, p_end_month) AS (VALUES {values}),
    b AS (
        SELECT id, founded_on, dissolved_on FROM orgs_organization
        WHERE path LIKE %s AND kind IN ({kinds})
          AND (founded_on IS NULL OR founded_on < {as_date}) AND (dissolved_on IS NULL OR dissolved_on >= {as_date})
    ),
    cells AS (
        SELECT b.id AS org_id, p.kind, p.times, COUNT(m.id) AS n
        FROM b CROSS JOIN p
        LEFT JOIN orglife_meeting m
          ON m.org_id = b.id AND m.kind = p.kind AND m.status IN ({statuses})
         AND m.held_on >= p.count_from AND m.held_on <= p.count_to
        WHERE (b.founded_on IS NULL OR b.founded_on <= p.p_end)
          AND (b.dissolved_on IS NULL OR b.dissolved_on >= p.p_start)
          AND NOT EXISTS (
              SELECT 1 FROM orglife_exemption e
              WHERE e.org_id = b.id AND e.kind = p.kind AND e.start <= p.p_start AND e."end" >= p.p_end_month
          )
        GROUP BY b.id, p.kind, p.times, p.p_start
    )
    SELECT kind, SUM(times), SUM(CASE WHEN n < times THEN n ELSE times END),
           SUM(CASE WHEN n < times THEN 1 ELSE 0 END), COUNT(DISTINCT CASE WHEN n < times THEN org_id END)
    FROM cells GROUP BY kind ORDER BY kind
    """
    params += [f"{org.path}%", *BRANCH_KINDS, last_day, start, *COUNTED_STATUSES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {k: (int(r), int(h), int(m), int(b)) for k, r, h, m, b in cursor.fetchall()}


def report_figures(totals: list[dict]) -> dict[str, tuple[int, int, int, int]]:
    """The selector's totals in compliance_sql's shape (kinds with no period ended are left out)."""
    return {
        t["kind"]: (t["required"], t["held"], t["missing"], t["branches_behind"])
        for t in totals
        if t["required"] or t["missing"]
    }


@benchmark("meeting_compliance_zone_ms", unit="ms", better="lower", target=300, order=70)
def meeting_compliance_zone(ctx: BenchContext):
    """The zone's compliance report (every branch, this year so far) through the scoped selector, and the same
    figures by one SQL statement (meeting_compliance_vs_sql_x: ours / SQL)."""
    from hongyin.orglife.models import Meeting
    from hongyin.orglife.selectors import default_org, default_range

    user = _zone_admin()
    org = default_org(user)
    today = timezone.localdate()
    start, end = default_range(today)
    if start == end:  # January: the year so far has no ended month; take the last twelve months
        start = date(today.year - 1, today.month, 1)
    report, totals = _report(user, org, start, end, today)
    if not report.rows:
        raise Skip("no branches")
    ours_figures, sql_figures = report_figures(totals), compliance_sql(org, start, end, today)
    if ours_figures != sql_figures:
        raise Skip(f"the selector and the SQL disagree: {ours_figures} / {sql_figures}")
    ours = ctx.timed(lambda: _report(user, org, start, end, today), repeat=7)
    sql = ctx.timed(lambda: compliance_sql(org, start, end, today), repeat=7)
    page = ctx.time_page(
        reverse("orglife:compliance") + f"?org={org.pk}&start={start:%Y-%m}&end={end:%Y-%m}",
        "zone_admin",
        name="meeting_compliance_page_p95_ms",
        warmup=2,
        runs=10,
    )
    return Result(
        ours,
        [
            Row("meeting_compliance_sql_ms", sql, "ms", "lower"),
            Row("meeting_compliance_vs_sql_x", round(ours / sql, 2) if sql else None, "x", "lower", target=3),
            Row("meeting_compliance_page_p95_ms", page.value, "ms", "lower"),
            Row("meeting_compliance_branches", len(report.rows), "branches", "higher"),
            Row("meeting_count", Meeting.objects.count(), "meetings", "higher"),
            Row(
                "meeting_orgs_with_meetings",
                Meeting.objects.values("org_id").distinct().count(),
                "organizations",
                "higher",
            ),
        ],
    )


@benchmark("meeting_page_p95_ms", unit="ms", better="lower", target=150, order=71)
def meeting_page(ctx: BenchContext):
    """The page of the meeting with the largest roster of the zone (its attendance list, events, actions)."""
    from hongyin.orglife.models import Meeting

    m = Meeting.objects.order_by("-expected", "-id").first()
    if m is None:
        raise Skip("no meetings")
    result = ctx.time_page(reverse("orglife:detail", args=[m.pk]), "zone_admin", name="meeting_page_p95_ms")
    result.extra.append(Row("meeting_page_roster", m.expected, "members", "higher"))
    return result
