"""Coverage (两个覆盖) per grid cell, rolled up to any level with one grouped query."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.accounts.models import RoleAssignment
from hongyin.common import hooks
from hongyin.common.roles import Role
from hongyin.enterprises.models import Enterprise
from hongyin.enterprises.permissions import enterprises_visible_to

from .models import GridCell
from .permissions import top_cells_for

DEFAULT_VISIT_DAYS = 90


# The app that records visits (appeals, above grid) registers `() -> its Visit model` here.
VISIT_MODEL = hooks.define("grid.visit_model")


@cache
def visit_model():
    """The Visit model (enterprise FK, visited_on, status) of the app that records visits, if one is installed."""
    providers = hooks.registered(VISIT_MODEL)
    return providers[0]() if providers else None


def has_instructor_expr():
    return Exists(RoleAssignment.objects.filter(role=Role.INSTRUCTOR, enterprise_id=OuterRef("pk")))


def visited_expr(days: int):
    Visit = visit_model()
    if Visit is None:
        return None
    since = timezone.localdate() - timedelta(days=days)
    visits = Visit.objects.filter(
        enterprise_id=OuterRef("pk"), visited_on__gte=since, visited_on__lte=timezone.localdate()
    )
    if "status" in {f.name for f in Visit._meta.get_fields()}:
        visits = visits.filter(status="done")  # a planned visit is not coverage
    return Exists(visits)


@dataclass
class CoverageRow:
    cell: GridCell | None
    label: str
    total: int = 0
    with_org: int = 0
    with_instructor: int = 0
    visited: int | None = None
    children: int = 0

    @staticmethod
    def pct(part, total) -> float | None:
        return None if part is None or not total else round(part * 100 / total, 1)

    @property
    def org_pct(self):
        return self.pct(self.with_org, self.total)

    @property
    def instructor_pct(self):
        return self.pct(self.with_instructor, self.total)

    @property
    def visited_pct(self):
        return self.pct(self.visited, self.total)


@dataclass
class CoverageReport:
    cell: GridCell
    days: int
    visits_available: bool
    total: CoverageRow
    rows: list[CoverageRow] = field(default_factory=list)


def coverage_for(user, *, cell: GridCell | None = None, days: int = DEFAULT_VISIT_DAYS) -> CoverageReport | None:
    """两个覆盖 as the user sees it: the given cell (or the user's first top cell) over the enterprises in scope.
    The coverage page and the workbench panel both call this, so their figures are the same."""
    cell = cell or top_cells_for(user).first()
    if cell is None:
        return None
    return coverage(cell, days=days, base=enterprises_visible_to(user))


def officers_of(cell: GridCell) -> list:
    """Grid officers whose cell is this one or one of its ancestors (their scope covers it)."""
    paths = [cell.path[:i] for i in range(GridCell.steplen, len(cell.path) + 1, GridCell.steplen)]
    return [
        a.user
        for a in RoleAssignment.objects.filter(role=Role.GRID_OFFICER, grid_cell__path__in=paths)
        .select_related("user", "grid_cell")
        .order_by("grid_cell__path", "id")
    ]


def enterprises_in(cell: GridCell, base: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = Enterprise.objects.all() if base is None else base
    return qs.filter(grid_cell__path__startswith=cell.path)


def coverage(cell: GridCell, *, days: int = DEFAULT_VISIT_DAYS, base: QuerySet | None = None) -> CoverageReport:
    """One grouped query: each enterprise of the subtree counted under the child cell its path starts with."""
    step = GridCell.steplen
    width = step * (cell.depth + 1)
    visited = visited_expr(days)
    qs = enterprises_in(cell, base).annotate(
        bucket=Substr("grid_cell__path", 1, width), has_instructor=has_instructor_expr()
    )
    aggregates = {
        "total": Count("pk"),
        "with_org": Count("org_id"),
        "with_instructor": Count("pk", filter=Q(has_instructor=True)),
    }
    if visited is not None:
        qs = qs.annotate(was_visited=visited)
        aggregates["visited"] = Count("pk", filter=Q(was_visited=True))
    grouped = {r["bucket"]: r for r in qs.order_by().values("bucket").annotate(**aggregates)}
    children = list(GridCell.objects.filter(path__startswith=cell.path, depth=cell.depth + 1).order_by("path"))
    rows = []
    own = grouped.get(cell.path) or grouped.get(cell.path[:width])

    def make(c, label, data, n_children=0):
        row = CoverageRow(cell=c, label=label, children=n_children)
        if data:
            row.total, row.with_org, row.with_instructor = data["total"], data["with_org"], data["with_instructor"]
            row.visited = data.get("visited") if visited is not None else None
        elif visited is not None:
            row.visited = 0
        return row

    for child in children:
        rows.append(make(child, child.name, grouped.get(child.path), child.numchild))
    if own:
        rows.append(make(None, _("本级直属"), own))
    total = CoverageRow(cell=cell, label=cell.name, visited=0 if visited is not None else None)
    for r in rows:
        total.total += r.total
        total.with_org += r.with_org
        total.with_instructor += r.with_instructor
        if visited is not None:
            total.visited += r.visited or 0
    return CoverageReport(cell=cell, days=days, visits_available=visited is not None, total=total, rows=rows)


_SQL_HEAD = """
    SELECT substr(g.path, 1, %s) AS bucket, COUNT(*),
           SUM(CASE WHEN e.org_id IS NOT NULL THEN 1 ELSE 0 END),
           SUM(CASE WHEN EXISTS (SELECT 1 FROM accounts_roleassignment r
                                 WHERE r.enterprise_id = e.id AND r.role = %s) THEN 1 ELSE 0 END)
"""
_SQL_VISITS = """,
           SUM(CASE WHEN EXISTS (SELECT 1 FROM appeals_visit v WHERE v.enterprise_id = e.id AND v.status = 'done'
                                 AND v.visited_on >= %s AND v.visited_on <= %s) THEN 1 ELSE 0 END)
"""
_SQL_TAIL = """
    FROM enterprises_enterprise e JOIN grid_gridcell g ON g.id = e.grid_cell_id
    WHERE g.path LIKE %s
    GROUP BY substr(g.path, 1, %s)
"""


def coverage_sql(cell: GridCell, days: int = DEFAULT_VISIT_DAYS) -> list[tuple]:
    """The same figures by one hand-written SQL statement (the bench's yardstick)."""
    from django.db import connection

    width = GridCell.steplen * (cell.depth + 1)
    today = timezone.localdate()
    if visit_model() is not None:
        sql = _SQL_HEAD + _SQL_VISITS + _SQL_TAIL
        params = [width, Role.INSTRUCTOR, today - timedelta(days=days), today, cell.path + "%", width]
    else:
        sql = _SQL_HEAD + _SQL_TAIL
        params = [width, Role.INSTRUCTOR, cell.path + "%", width]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lacking(cell: GridCell, what: str, base: QuerySet | None = None) -> QuerySet[Enterprise]:
    """Enterprises of the subtree without a party organization ("org") or without an instructor ("instructor")."""
    qs = enterprises_in(cell, base).select_related("grid_cell", "building")
    if what == "instructor":
        return qs.annotate(has_instructor=has_instructor_expr()).filter(has_instructor=False).order_by("name")
    return qs.filter(org__isnull=True).order_by("name")
