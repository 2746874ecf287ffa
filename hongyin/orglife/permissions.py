"""Who sees which meetings: the organizations in the user's scope. A member (who holds `orglife.view` only) sees
its own branch's meetings once they are reported (submitted or approved), never the drafts."""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import orgs_visible_to

from .models import COUNTED_STATUSES, Meeting

MEETING_SCOPE = ScopeFields(org="org")
VIEW, MANAGE, APPROVE, CONFIGURE = "orglife.view", "orglife.manage", "orglife.approve", "orglife.configure"


def meetings_visible_to(user) -> QuerySet[Meeting]:
    managed = scope_q(user, MANAGE, MEETING_SCOPE)
    viewed = scope_q(user, VIEW, MEETING_SCOPE)
    if viewed is not None:
        viewed &= Q(status__in=COUNTED_STATUSES)
    parts = [q for q in (managed, viewed) if q is not None]
    if not parts:
        return Meeting.objects.none()
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return Meeting.objects.filter(q)


def get_meeting_for_user_or_404(user, pk) -> Meeting:
    return get_or_404(lambda: meetings_visible_to(user).select_related("org").get(pk=pk))


def can_manage(user, meeting: Meeting) -> bool:
    """The user records meetings of this organization (its branch secretary, or a committee above)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role_perm(MANAGE)
        and orgs_visible_to(user, MANAGE).filter(pk=meeting.org_id).exists()
    )


def can_approve(user, meeting: Meeting) -> bool:
    """The committee above approves: a scope holding the meeting's organization's parent (never its own branch)."""
    if not (getattr(user, "is_authenticated", False) and user.has_role_perm(APPROVE)):
        return False
    org = meeting.org
    if org.depth <= 1:
        return orgs_visible_to(user, APPROVE).filter(pk=org.pk).exists()
    parent_path = org.path[: -Organization.steplen]
    return orgs_visible_to(user, APPROVE).filter(path=parent_path).exists()


def compliance_orgs(user) -> QuerySet[Organization]:
    return orgs_visible_to(user, "orglife.compliance")
