"""Who sees what of study.

- Materials and courses: those published by an organization of the user's scope, or by one above it (the zone's
  materials are for everyone).
- Threads: those of the branches in the user's scope (a member: its own branch).
- Assignments: those given by an organization of the user's scope (managers), or addressed to the member.
- Progress and notes: the member's own, never anyone else's (managers see the completion figures only)."""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q
from hongyin.common.roles import roles_with
from hongyin.members.models import Member
from hongyin.orgs.models import Organization

from .models import Assignment, Course, Material, Thread

VIEW, MANAGE, MODERATE, CONFIGURE, STATS = (
    "learning.view",
    "learning.manage",
    "learning.moderate",
    "learning.configure",
    "learning.stats",
)
OWNED = ScopeFields(org="org")
THREAD_SCOPE = ScopeFields(org="branch")


def ancestor_paths(path: str) -> list[str]:
    """The paths of an organization and of every organization above it."""
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def scope_paths(user, perm: str) -> list[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    allowed = roles_with(perm)
    return [a.org.path for a in user.assignments if a.role in allowed and getattr(a, "org_id", None)]


def _owned_or_above(user, perm: str) -> Q | None:
    """Published in the user's scope, or above one of its scope's organizations."""
    q = scope_q(user, perm, OWNED)
    above = sorted({p for path in scope_paths(user, perm) for p in ancestor_paths(path)})
    if above:
        part = Q(org__path__in=above)
        q = part if q is None else q | part
    return q


def materials_visible_to(user, perm: str = VIEW) -> QuerySet[Material]:
    q = _owned_or_above(user, perm)
    return Material.objects.none() if q is None else Material.objects.filter(q)


def courses_visible_to(user, perm: str = VIEW) -> QuerySet[Course]:
    q = _owned_or_above(user, perm)
    return Course.objects.none() if q is None else Course.objects.filter(q)


def threads_visible_to(user, perm: str = VIEW) -> QuerySet[Thread]:
    q = scope_q(user, perm, THREAD_SCOPE)
    return Thread.objects.none() if q is None else Thread.objects.filter(q)


def own_member(user) -> Member | None:
    """The signed-in user's own active member record (progress and notes are kept against it)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_learning_member", False)
    if cached is False:
        cached = Member.objects.select_related("org").filter(user=user, left_on__isnull=True).first()
        user._learning_member = cached
    return cached


def addressed_to(member: Member) -> Q:
    """Assignments addressed to a member: to its branch or an organization above it, or to it by name."""
    return Q(target_org__path__in=ancestor_paths(member.org.path)) | Q(members=member)


def assignments_visible_to(user) -> QuerySet[Assignment]:
    managed = scope_q(user, MANAGE, OWNED)
    target = scope_q(user, MANAGE, ScopeFields(org="target_org"))
    parts = [q for q in (managed, target) if q is not None]
    member = own_member(user) if user.has_role_perm(VIEW) else None
    if member is not None:
        parts.append(addressed_to(member))
    if not parts:
        return Assignment.objects.none()
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return Assignment.objects.filter(pk__in=Assignment.objects.filter(q).values("pk"))


def get_material_or_404(user, pk) -> Material:
    return get_or_404(lambda: materials_visible_to(user).select_related("org", "attachment").get(pk=pk))


def get_course_or_404(user, pk) -> Course:
    return get_or_404(lambda: courses_visible_to(user).select_related("org").get(pk=pk))


def get_thread_or_404(user, pk) -> Thread:
    return get_or_404(lambda: threads_visible_to(user).select_related("branch", "material", "meeting").get(pk=pk))


def get_assignment_or_404(user, pk) -> Assignment:
    return get_or_404(
        lambda: assignments_visible_to(user).select_related("org", "course", "material", "target_org").get(pk=pk)
    )


def can_moderate(user, thread: Thread) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role_perm(MODERATE)
        and threads_visible_to(user, MODERATE).filter(pk=thread.pk).exists()
    )
