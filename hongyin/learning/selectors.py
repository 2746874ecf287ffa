"""Reads of study: a member's progress and hours, an assignment's completion, the feedback count per branch, the
study hours completed by committee. Each page and workbench panel reads its figures here."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from hongyin.common.permissions import ScopeFields, scope_q
from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization

from .models import Assignment, CourseItem, Material, Post, Progress, Thread
from .permissions import MANAGE, STATS, THREAD_SCOPE, addressed_to, ancestor_paths, scope_paths
from .services import required_hours


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _finished_in(year: int) -> Q:
    start, end = year_bounds(year)
    return Q(finished_at__gte=start, finished_at__lt=end)


def hours_done(member: Member, year: int) -> Decimal:
    """The class hours of the materials the member finished in the year."""
    found = Progress.objects.filter(_finished_in(year), member=member).aggregate(h=Sum("material__class_hours"))["h"]
    return found or Decimal(0)


@dataclass
class MyYear:
    year: int
    done: Decimal
    required: Decimal

    @property
    def share(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.done * 100 / self.required))


def my_year(member: Member, year: int | None = None) -> MyYear:
    year = year or timezone.localdate().year
    return MyYear(year, hours_done(member, year), required_hours(year))


def progress_by_material(member: Member | None, material_ids) -> dict[int, Progress]:
    if member is None:
        return {}
    return {p.material_id: p for p in Progress.objects.filter(member=member, material_id__in=list(material_ids))}


def assignment_material_ids(assignments) -> dict[int, list[int]]:
    """Per assignment, the materials to finish (a course's in order, or its one material)."""
    assignments = list(assignments)
    courses = {a.course_id for a in assignments if a.course_id}
    by_course: dict[int, list[int]] = {}
    for course_id, material_id in CourseItem.objects.filter(course_id__in=courses).values_list(
        "course_id", "material_id"
    ):
        by_course.setdefault(course_id, []).append(material_id)
    return {a.pk: by_course.get(a.course_id, []) if a.course_id else [a.material_id] for a in assignments}


@dataclass
class MyAssignment:
    assignment: Assignment
    total: int
    finished: int
    overdue: bool

    @property
    def done(self) -> bool:
        return self.total > 0 and self.finished >= self.total


def my_assignments(member: Member | None, *, open_only: bool = False) -> list[MyAssignment]:
    """The assignments addressed to the member, with how many of their materials it finished."""
    if member is None:
        return []
    qs = Assignment.objects.filter(pk__in=Assignment.objects.filter(addressed_to(member)).values("pk"))
    assignments = list(qs.select_related("course", "material", "org").order_by("due_on", "id")[:200])
    ids = assignment_material_ids(assignments)
    finished = set(
        Progress.objects.filter(
            member=member, finished_at__isnull=False, material_id__in={m for v in ids.values() for m in v}
        ).values_list("material_id", flat=True)
    )
    today = timezone.localdate()
    rows = []
    for a in assignments:
        mats = ids[a.pk]
        done = sum(1 for m in mats if m in finished)
        row = MyAssignment(a, len(mats), done, a.due_on < today and done < len(mats))
        if not (open_only and row.done):
            rows.append(row)
    return rows


def assignees(assignment: Assignment) -> QuerySet[Member]:
    """The active members an assignment is addressed to."""
    base = Member.objects.filter(left_on__isnull=True)
    if assignment.target_org_id:
        return base.filter(org__path__startswith=assignment.target_org.path)
    return base.filter(pk__in=assignment.members.values("pk"))


def finished_member_ids(members: QuerySet[Member], material_ids: list[int]) -> QuerySet:
    return (
        Progress.objects.filter(member__in=members, material_id__in=material_ids, finished_at__isnull=False)
        .values("member_id")
        .annotate(n=Count("id"))
        .filter(n=len(material_ids))
        .values("member_id")
    )


@dataclass
class Completion:
    assigned: int
    finished: int

    @property
    def unfinished(self) -> int:
        return self.assigned - self.finished

    @property
    def share(self) -> int:
        return 100 if not self.assigned else int(self.finished * 100 / self.assigned)


def completion(assignment: Assignment, material_ids: list[int], within: Q | None = None) -> Completion:
    members = assignees(assignment)
    if within is not None:
        members = members.filter(within)
    if not material_ids:
        return Completion(members.count(), 0)
    return Completion(members.count(), finished_member_ids(members, material_ids).count())


def completion_rows(assignment: Assignment, material_ids: list[int], within: Q | None = None) -> list[dict]:
    """Each assignee with the number of materials finished (for the assignment's page)."""
    members = assignees(assignment)
    if within is not None:
        members = members.filter(within)
    members = list(members.select_related("org").order_by("org__path", "name")[:2000])
    counts = dict(
        Progress.objects.filter(member__in=members, material_id__in=material_ids, finished_at__isnull=False)
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
    return [{"member": m, "finished": counts.get(m.pk, 0), "total": len(material_ids)} for m in members]


def members_q(user, perm: str = MANAGE) -> Q | None:
    """The members inside the user's organization scopes."""
    return scope_q(user, perm, ScopeFields(org="org"))


def unfinished_for(user, *, limit: int = 10) -> list[tuple[Assignment, Completion]]:
    """The assignments of the user's scope still open or recently due, with the members of its scope who have not
    finished them (the secretary's workbench)."""
    within = members_q(user)
    if within is None:
        return []
    today = timezone.localdate()
    scope = scope_q(user, MANAGE, ScopeFields(org="target_org"))
    target = Q(members__in=Member.objects.filter(within))
    if scope is not None:
        target |= scope | Q(target_org__path__in=_ancestors_of_scope(user))
    qs = Assignment.objects.filter(
        pk__in=Assignment.objects.filter(target).values("pk"), due_on__gte=today.replace(month=1, day=1)
    )
    assignments = list(qs.select_related("course", "material", "target_org").order_by("due_on", "id")[:limit])
    ids = assignment_material_ids(assignments)
    rows = []
    for a in assignments:
        c = completion(a, ids[a.pk], within)
        if c.unfinished:
            rows.append((a, c))
    return rows


def _ancestors_of_scope(user) -> list[str]:
    return sorted({p for path in scope_paths(user, MANAGE) for p in ancestor_paths(path)})


def feedback_counts(user, *, year: int | None = None) -> list[dict]:
    """Per branch of the user's scope: visible posts and replies in its threads (in the year, if given)."""
    q = scope_q(user, STATS, THREAD_SCOPE)
    if q is None:
        return []
    branches = scope_q(user, STATS, ScopeFields(org=""))
    posts = Post.objects.filter(hidden=False)
    if year:
        start, end = year_bounds(year)
        posts = posts.filter(created_at__gte=start, created_at__lt=end)
    counts = dict(
        posts.filter(thread__in=Thread.objects.filter(q))
        .values("thread__branch_id")
        .annotate(n=Count("id"))
        .values_list("thread__branch_id", "n")
    )
    orgs = Organization.objects.filter(branches, kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
    return [
        {"branch": o, "count": counts.get(o.pk, 0)} for o in orgs.order_by("path").only("id", "name", "path")[:5000]
    ]


@dataclass
class CommitteeHours:
    org: Organization
    members: int
    done: Decimal
    completed: int  # members who reached the required hours

    required: Decimal = Decimal(0)

    @property
    def share(self) -> int:
        """The share of the required hours done (each member counted up to the requirement)."""
        need = self.members * self.required
        return 100 if not need else min(100, int(self.done * 100 / need))


def hours_root(user) -> Organization | None:
    """The highest organization of the user's statistics scope."""
    paths = scope_paths(user, STATS)
    if not paths:
        return None
    return Organization.objects.filter(path=min(paths, key=len)).first()


def hours_by_committee(root: Organization, year: int) -> list[CommitteeHours]:
    """Per organization directly under `root`: active members, class hours done in the year (each member's
    counted up to the requirement), members who completed the requirement, and the share."""
    need = required_hours(year)
    children = list(Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path"))
    cut = len(root.path) + Organization.steplen
    rows = {c.path: CommitteeHours(c, 0, Decimal(0), 0, need) for c in children}
    paths = dict(
        Member.objects.filter(left_on__isnull=True, org__path__startswith=root.path).values_list("pk", "org__path")
    )
    for path in paths.values():
        row = rows.get(path[:cut])
        if row is not None:
            row.members += 1
    # summed here, not by the database: a SUM of decimals per member is several times slower on SQLite
    class_hours = dict(Material.objects.values_list("pk", "class_hours"))
    per_member: dict[int, Decimal] = {}
    for member_id, material_id in Progress.objects.filter(_finished_in(year)).values_list("member_id", "material_id"):
        if member_id in paths:
            per_member[member_id] = per_member.get(member_id, Decimal(0)) + class_hours[material_id]
    for member_id, hours in per_member.items():
        row = rows.get(paths[member_id][:cut])
        if row is not None:
            row.done += min(hours, need)
            row.completed += hours >= need
    return list(rows.values())


def course_hours_of(course_ids) -> dict[int, Decimal]:
    return dict(
        CourseItem.objects.filter(course_id__in=list(course_ids))
        .values("course_id")
        .annotate(h=Sum("material__class_hours"))
        .values_list("course_id", "h")
    )


def feedback_total(user, year: int) -> int:
    """Visible posts and replies in the year in the threads of the user's branches (the workbench figure)."""
    q = scope_q(user, STATS, THREAD_SCOPE)
    if q is None:
        return 0
    start, end = year_bounds(year)
    return Post.objects.filter(
        hidden=False, created_at__gte=start, created_at__lt=end, thread__in=Thread.objects.filter(q)
    ).count()
