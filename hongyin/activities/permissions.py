"""Who sees which activities, who organizes them, and whose attendance an organizer sees.

- An activity is visible to a user with `activities.view` when one of its organizers lies in the user's scope
  (the subtree of an assignment), or is an organization above it (a committee's activity is open to the members of
  its branches).
- An organizer (`activities.manage` over one of the organizing organizations) shows the QR code and sees the
  attendance of the members in its own scope only: a joint activity's organizers each see their own members.
- The host's managers edit the activity, cancel it and add the summary and photos.
"""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q
from hongyin.common.roles import roles_with
from hongyin.common.scopes import ScopeKind
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import orgs_visible_to

from .models import Activity, Organizer, Signup

VIEW, MANAGE = "activities.view", "activities.manage"
ORGANIZER_SCOPE = ScopeFields(org="org")
SIGNUP_SCOPE = ScopeFields(org="member__org")


def _ancestor_paths(user, perm: str) -> set[str]:
    """The paths of the organizations above (and at) each of the user's organization scopes."""
    allowed = roles_with(perm)
    paths: set[str] = set()
    for a in getattr(user, "assignments", []):
        if a.role in allowed and a.scope_kind == ScopeKind.ORG and a.org_id is not None:
            path = a.org.path
            paths.update(path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen))
    return paths


def activities_visible_to(user, perm: str = VIEW) -> QuerySet[Activity]:
    if not getattr(user, "is_authenticated", False) or not user.has_role_perm(perm):
        return Activity.objects.none()
    q = scope_q(user, perm, ORGANIZER_SCOPE)
    above = _ancestor_paths(user, perm)
    if above:
        part = Q(org__path__in=sorted(above))
        q = part if q is None else q | part
    if q is None:
        return Activity.objects.none()
    return Activity.objects.filter(pk__in=Organizer.objects.filter(q).values("activity_id"))


def get_activity_for_user_or_404(user, pk) -> Activity:
    return get_or_404(lambda: activities_visible_to(user).select_related("org").get(pk=pk))


def managed_organizer_ids(user, activity: Activity) -> list[int]:
    """The organizing organizations of the activity in the user's `activities.manage` scope."""
    if not (getattr(user, "is_authenticated", False) and user.has_role_perm(MANAGE)):
        return []
    q = scope_q(user, MANAGE, ORGANIZER_SCOPE)
    if q is None:
        return []
    return list(Organizer.objects.filter(q, activity=activity).values_list("org_id", flat=True))


def can_organize(user, activity: Activity) -> bool:
    """Shows the QR code and sees the attendance of its own members: manages one of the organizers."""
    return bool(managed_organizer_ids(user, activity))


def can_edit(user, activity: Activity) -> bool:
    """Edits, cancels, adds the summary and photos: manages the host organization."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role_perm(MANAGE)
        and orgs_visible_to(user, MANAGE).filter(pk=activity.org_id).exists()
    )


def signups_seen_by(user, activity: Activity) -> QuerySet[Signup]:
    """The sign-ups an organizer sees: members in its own scope (each organizer of a joint activity its own)."""
    if not can_organize(user, activity):
        return Signup.objects.none()
    q = scope_q(user, MANAGE, SIGNUP_SCOPE)
    if q is None:
        return Signup.objects.none()
    return Signup.objects.filter(q, activity=activity)


def publish_orgs(user) -> QuerySet[Organization]:
    """The organizations the user may publish an activity for (or name as a co-organizer)."""
    return orgs_visible_to(user, MANAGE).filter(dissolved_on__isnull=True)


def activities_organized_by(user) -> QuerySet[Activity]:
    """Activities one of whose organizers the user manages (the QR page, the attendance)."""
    q = scope_q(user, MANAGE, ORGANIZER_SCOPE) if getattr(user, "is_authenticated", False) else None
    if q is None:
        return Activity.objects.none()
    return Activity.objects.filter(pk__in=Organizer.objects.filter(q).values("activity_id"))


def activities_edited_by(user) -> QuerySet[Activity]:
    """Activities whose host the user manages (edit, cancel, summary, photos)."""
    if not (getattr(user, "is_authenticated", False) and user.has_role_perm(MANAGE)):
        return Activity.objects.none()
    return Activity.objects.filter(org__in=orgs_visible_to(user, MANAGE))
