"""Reads: the queue, the figures, visit coverage. Every selector starts from the user's scoped queryset."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hongyin.common.calendar import get_calendar
from hongyin.common.roles import Role

from . import conf
from .models import OPEN_STATUSES, AppealStatus, Rating, Visit
from .permissions import appeals_visible_to, enterprises_in_scope, visits_visible_to


def appeal_list(
    *,
    user,
    status: str = "",
    category: str = "",
    q: str = "",
    overdue: bool = False,
    due_today: bool = False,
    unrated: bool = False,
) -> QuerySet:
    """The appeal list's rows; the workbench's 诉求待办 figures are counts of this with the same filters."""
    qs = appeals_visible_to(user).select_related("enterprise", "category", "department", "handler")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in AppealStatus.values:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category__code=category)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    if due_today:
        qs = qs.filter(status__in=OPEN_STATUSES, due_on=timezone.localdate())
    if unrated:
        qs = qs.filter(status=AppealStatus.CLOSED, rating="")
    return qs


def appeal_queue(*, user, mine_only: bool = False, overdue: bool = False, to_close: bool = False) -> QuerySet:
    """A handler's inbox (or the zone's supervision view), soonest deadline first.

    The running clock is what puts an appeal in a queue: dispatched, in progress and replied appeals carry a
    deadline (due_on), closed ones and those waiting for dispatch do not. The (department, due_on) index then
    gives the rows already in order, so a page reads 30 rows whatever the size of the department's history.
    to_close: the zone's 待办结 view, the appeals answered finally and waiting for the zone to close them."""
    qs = (
        appeals_visible_to(user, "appeals.queue")
        .filter(due_on__isnull=False)
        .select_related("enterprise", "category", "department", "handler")
    )
    if mine_only:
        qs = qs.filter(Q(handler=user) | Q(handler__isnull=True))
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate())
    if to_close:
        qs = qs.filter(status=AppealStatus.REPLIED)
    return qs.order_by("due_on", "id")


def annotate_countdown(appeals, today: date | None = None) -> None:
    """Working days left on each row (negative = overdue); one query for the calendar, whatever the page size."""
    today = today or timezone.localdate()
    cal = get_calendar()
    for a in appeals:
        a.days_left = cal.working_days_between(today, a.due_on) if a.due_on else None
        a.overdue = a.due_on is not None and a.due_on < today


# --- figures --------------------------------------------------------------------------------------------------

FIGURE_KEYS = ("response_rate", "on_time_rate", "resolution_rate", "satisfaction_rate", "avg_days")


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def figure_aggregates(distinct: bool = False) -> dict:
    """distinct: when a join can repeat an appeal (an enterprise on several nodes of a chain)."""
    rated = ~Q(rating="")

    def n(condition=None):
        return Count("id", filter=condition, distinct=distinct)

    return {
        "total": n(),
        "dispatched": n(Q(dispatched_on__isnull=False)),
        "accepted_in_time": n(Q(accepted_in_time=True)),
        "closed": n(Q(status=AppealStatus.CLOSED)),
        "closed_in_time": n(Q(status=AppealStatus.CLOSED, closed_in_time=True)),
        "resolved": n(Q(status=AppealStatus.CLOSED, resolved=True)),
        "rated": n(rated),
        "satisfied": n(Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
        "avg_days": Avg("handling_days", filter=Q(status=AppealStatus.CLOSED)),
        "open": n(Q(status__in=OPEN_STATUSES)),
    }


def _figures(row: dict) -> dict:
    return {
        "total": row["total"],
        "open": row["open"],
        "closed": row["closed"],
        "response_rate": _pct(row["accepted_in_time"], row["dispatched"]),
        "on_time_rate": _pct(row["closed_in_time"], row["closed"]),
        "resolution_rate": _pct(row["resolved"], row["closed"]),
        "satisfaction_rate": _pct(row["satisfied"], row["rated"]),
        "avg_days": round(row["avg_days"], 1) if row["avg_days"] is not None else None,
    }


@dataclass
class StatsFilter:
    start: date | None = None
    end: date | None = None


def _period(qs, f: StatsFilter | None):
    if f and f.start:
        qs = qs.filter(submitted_on__gte=f.start)
    if f and f.end:
        qs = qs.filter(submitted_on__lte=f.end)
    return qs


GROUPS = {
    "department": ("department__name", "department_id"),
    "category": ("category__name", "category_id"),
    "building": ("enterprise__building__name", "enterprise__building_id"),
    "chain": ("enterprise__chain_memberships__node__chain__name", "enterprise__chain_memberships__node__chain_id"),
}


def appeal_figures(*, user, f: StatsFilter | None = None) -> dict:
    qs = _period(appeals_visible_to(user, "appeals.stats"), f)
    return _figures(qs.aggregate(**figure_aggregates()))


def appeal_figures_by(*, user, by: str, f: StatsFilter | None = None) -> list[dict]:
    """Figures grouped by department, category, building, chain or month, in one GROUP BY query."""
    qs = _period(appeals_visible_to(user, "appeals.stats"), f)
    if by == "month":
        rows = qs.annotate(m=TruncMonth("submitted_on")).values("m").annotate(**figure_aggregates()).order_by("m")
        return [{"label": r["m"].strftime("%Y-%m") if r["m"] else "-", **_figures(r)} for r in rows]
    label, _key = GROUPS[by]
    rows = qs.values(label).annotate(**figure_aggregates(distinct=by == "chain")).order_by(label)
    return [{"label": r[label] or "—", **_figures(r)} for r in rows]


# --- visits ---------------------------------------------------------------------------------------------------


def visit_list(*, user, planned: bool | None = None) -> QuerySet:
    qs = visits_visible_to(user).select_related("enterprise", "visitor")
    if planned is True:
        qs = qs.filter(status=Visit.Status.PLANNED).order_by("visited_on", "id")
    elif planned is False:
        qs = qs.filter(status=Visit.Status.DONE)
    return qs


def planned_visits(*, user, within_days: int | None = None) -> QuerySet:
    """Planned visits from today on (within N days when given): the visit plan page and the workbench's figure."""
    today = timezone.localdate()
    qs = visit_list(user=user, planned=True).filter(visited_on__gte=today)
    if within_days is not None:
        qs = qs.filter(visited_on__lte=today + timedelta(days=within_days))
    return qs


def not_visited(*, user, days: int | None = None) -> QuerySet:
    """Enterprises in the user's scope without a recorded visit in the last N days."""
    days = days or conf.get("VISIT_COVERAGE_DAYS")
    since = timezone.localdate() - timedelta(days=days)
    recent = Visit.objects.filter(enterprise=OuterRef("pk"), status=Visit.Status.DONE, visited_on__gte=since)
    return enterprises_in_scope(user, "visits.view").annotate(visited=Exists(recent)).filter(visited=False)


def visit_coverage(*, user, by: str, days: int | None = None) -> list[dict]:
    """Per grid cell, committee (top-level organization under the zone) or instructor: enterprises, visited, share."""
    from hongyin.accounts.models import RoleAssignment

    days = days or conf.get("VISIT_COVERAGE_DAYS")
    since = timezone.localdate() - timedelta(days=days)
    recent = Visit.objects.filter(enterprise=OuterRef("pk"), status=Visit.Status.DONE, visited_on__gte=since)
    ents = enterprises_in_scope(user, "visits.view").annotate(visited=Exists(recent))
    if by == "instructor":
        rows = (
            RoleAssignment.objects.filter(role=Role.INSTRUCTOR, enterprise__in=ents.values("pk"))
            .values("user__display_name")
            .annotate(
                total=Count("enterprise", distinct=True),
                visited=Count(
                    "enterprise",
                    distinct=True,
                    filter=Q(enterprise__visits__status=Visit.Status.DONE, enterprise__visits__visited_on__gte=since),
                ),
            )
            .order_by("user__display_name")
        )
        return [
            {
                "label": r["user__display_name"],
                "total": r["total"],
                "visited": r["visited"],
                "share": _pct(r["visited"], r["total"]),
            }
            for r in rows
        ]
    label = {"grid": "grid_cell__name", "committee": "org__name"}[by]
    if by == "committee":
        # the committee is the second level of the org tree: group by the path prefix
        from hongyin.orgs.models import Organization

        steplen = Organization.steplen
        from django.db.models.functions import Substr

        rows = (
            ents.filter(org__isnull=False)
            .annotate(prefix=Substr("org__path", 1, 2 * steplen))
            .values("prefix")
            .annotate(total=Count("id"), visited_n=Count("id", filter=Q(visited=True)))
            .order_by("prefix")
        )
        names = dict(Organization.objects.filter(depth=2).values_list("path", "name"))
        return [
            {
                "label": names.get(r["prefix"], r["prefix"]),
                "total": r["total"],
                "visited": r["visited_n"],
                "share": _pct(r["visited_n"], r["total"]),
            }
            for r in rows
        ]
    rows = ents.values(label).annotate(total=Count("id"), visited_n=Count("id", filter=Q(visited=True))).order_by(label)
    return [
        {
            "label": r[label] or "—",
            "total": r["total"],
            "visited": r["visited_n"],
            "share": _pct(r["visited_n"], r["total"]),
        }
        for r in rows
    ]


def department_overview() -> list:
    """Departments with their handlers, supervisors and workload, in four queries."""
    from django.db.models import Prefetch

    from hongyin.accounts.models import RoleAssignment, User
    from hongyin.directory.models import Department

    today = timezone.localdate()
    depts = list(
        Department.objects.annotate(
            open=Count("appeals", filter=Q(appeals__status__in=OPEN_STATUSES)),
            overdue=Count("appeals", filter=Q(appeals__status__in=OPEN_STATUSES, appeals__due_on__lt=today)),
        )
        .prefetch_related(Prefetch("supervisors", queryset=User.objects.order_by("username")))
        .order_by("name")
    )
    handlers: dict = {}
    for a in RoleAssignment.objects.filter(role=Role.DEPT_HANDLER, department__isnull=False).select_related("user"):
        handlers.setdefault(a.department_id, []).append(a.user)
    for d in depts:
        d.handler_list = handlers.get(d.pk, [])
    return depts
