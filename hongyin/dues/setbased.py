"""The dues ledger's set-based SQL: a month's records opened for a whole subtree in one statement, and the members'
standings (consecutive months unpaid, arrears) recomputed or advanced in two. Called by the services, which check
scope and write the audit event; nothing here checks either."""

import calendar
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.utils import timezone

from hongyin.members.models import Member
from hongyin.orgs.models import Organization

from .models import DuesProfile, DuesRecord, DuesReduction, DuesStanding, ReductionStatus
from .rules import due_cents_sql


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def tables() -> dict[str, str]:
    return {
        "member": Member._meta.db_table,
        "org": Organization._meta.db_table,
        "profile": DuesProfile._meta.db_table,
        "record": DuesRecord._meta.db_table,
        "reduction": DuesReduction._meta.db_table,
        "standing": DuesStanding._meta.db_table,
    }


def open_rows(org: Organization, month: date) -> int:
    """Insert the month's record for every active member of the subtree that has none yet (one statement)."""
    t = tables()
    due = f"({due_cents_sql()} + CAST(ROUND(COALESCE(p.voluntary_extra, 0) * 100) AS INTEGER)) / 100.0"
    # On PostgreSQL the subtree is an array computed once: when the statistics say the month's records exist
    # (reopening a month for late joiners), the planner expects one member to need a record and would otherwise
    # scan the organizations once per member (10 s instead of 1 s at zone scale). SQLite joins faster.
    if connection.vendor == "postgresql":
        join_org, in_subtree = "", f"m.org_id = ANY(ARRAY(SELECT o.id FROM {t['org']} o WHERE o.path LIKE %s))"  # noqa: S608
    else:
        join_org, in_subtree = f"JOIN {t['org']} o ON o.id = m.org_id", "o.path LIKE %s"
    sql = f"""
        INSERT INTO {t["record"]} (member_id, branch_id, month, due, paid, paid_on, closed)
        SELECT m.id, m.org_id, %s,
               COALESCE((SELECT red.monthly_amount FROM {t["reduction"]} red
                         WHERE red.member_id = m.id AND red.status = %s
                           AND red.start_month <= %s AND red.end_month >= %s
                         ORDER BY red.id DESC LIMIT 1), {due}),
               0, NULL, %s
        FROM {t["member"]} m
        {join_org}
        LEFT JOIN {t["profile"]} p ON p.member_id = m.id
        WHERE {in_subtree} AND m.left_on IS NULL AND m.joined_on <= %s
          AND NOT EXISTS (SELECT 1 FROM {t["record"]} r WHERE r.member_id = m.id AND r.month = %s)
        ORDER BY m.id
    """  # noqa: S608  table names come from the models, values are parameters; ordered: index-friendly inserts
    params = [month, ReductionStatus.APPROVED, month, month, False, org.path + "%", month_end(month), month]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def recompute_standings(*, path: str | None = None, member_ids: Iterable[int] | None = None) -> None:
    """Consecutive closed months unpaid since the last paid one, and the total arrears, for a subtree or members."""
    t = tables()
    now = timezone.now()
    if member_ids is not None:
        ids = list(member_ids)
        if not ids:
            return
        where_members = f"m.id IN ({', '.join(['%s'] * len(ids))})"
        where_params: list = ids
    else:
        where_members = "o.path LIKE %s"
        where_params = [path + "%"]
    scope = f"SELECT m.id FROM {t['member']} m JOIN {t['org']} o ON o.id = m.org_id WHERE {where_members}"  # noqa: S608
    insert = f"""
        INSERT INTO {t["standing"]} (member_id, branch_id, arrears_months, arrears_amount, updated_at)
        SELECT m.id, m.org_id, 0, 0, %s FROM {t["member"]} m JOIN {t["org"]} o ON o.id = m.org_id
        WHERE {where_members} AND m.left_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM {t["standing"]} s WHERE s.member_id = m.id)
    """  # noqa: S608
    s = t["standing"]
    update = f"""
        UPDATE {s} SET
          arrears_months = (
            SELECT COUNT(*) FROM {t["record"]} r
            WHERE r.member_id = {s}.member_id AND r.closed = %s AND r.paid < r.due
              AND r.month > COALESCE((SELECT MAX(r2.month) FROM {t["record"]} r2
                                      WHERE r2.member_id = {s}.member_id AND r2.closed = %s AND r2.paid >= r2.due),
                                     %s)),
          arrears_amount = COALESCE((
            SELECT SUM(r.due - r.paid) FROM {t["record"]} r
            WHERE r.member_id = {s}.member_id AND r.closed = %s AND r.paid < r.due), 0),
          branch_id = (SELECT m.org_id FROM {t["member"]} m WHERE m.id = {s}.member_id),
          updated_at = %s
        WHERE member_id IN ({scope})
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(insert, [now, *where_params])
        cursor.execute(update, [True, True, date(1900, 1, 1), True, now, *where_params])


def advance_standings(path: str, month: date) -> None:
    """The usual close (months in order): one more month in arrears if this month is unpaid, else back to 0.

    Equal to recompute_standings when no later month is closed, at a fraction of the cost (one row per member).
    """
    t = tables()
    now = timezone.now()
    s = t["standing"]
    scope = f"SELECT m.id FROM {t['member']} m JOIN {t['org']} o ON o.id = m.org_id WHERE o.path LIKE %s"  # noqa: S608
    insert = f"""
        INSERT INTO {s} (member_id, branch_id, arrears_months, arrears_amount, updated_at)
        SELECT m.id, m.org_id, 0, 0, %s FROM {t["member"]} m JOIN {t["org"]} o ON o.id = m.org_id
        WHERE o.path LIKE %s AND m.left_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM {s} x WHERE x.member_id = m.id)
    """  # noqa: S608
    unpaid = f"SELECT r.due - r.paid FROM {t['record']} r WHERE r.member_id = {s}.member_id AND r.month = %s"  # noqa: S608
    update = f"""
        UPDATE {s} SET
          arrears_months = CASE WHEN COALESCE(({unpaid}), 0) > 0 THEN arrears_months + 1 ELSE 0 END,
          arrears_amount = arrears_amount + CASE WHEN COALESCE(({unpaid}), 0) > 0 THEN ({unpaid}) ELSE 0 END,
          branch_id = (SELECT m.org_id FROM {t["member"]} m WHERE m.id = {s}.member_id),
          updated_at = %s
        WHERE member_id IN ({scope})
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(insert, [now, path + "%"])
        cursor.execute(update, [month, month, month, now, path + "%"])
