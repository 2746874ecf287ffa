from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hongyin.common.roles import Role

from .models import Briefing, Policy, PolicyPush


def policy_list(*, q: str = "") -> QuerySet[Policy]:
    qs = Policy.objects.annotate(
        pushed=Count("pushes", distinct=True),
        applied=Count("pushes", filter=Q(pushes__applied_at__isnull=False), distinct=True),
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(issuer__icontains=q))
    return qs.order_by("-issued_on", "-id")


# The states the contact filters its received policies by; the workbench counts them the same way (portal_todo).
PUSH_STATES = {"unread": (_("未读"), Q(read_at__isnull=True)), "applied": (_("已申报"), Q(applied_at__isnull=False))}


def pushes_for_user(user, state: str = "") -> QuerySet[PolicyPush]:
    """The policies pushed to the contact's enterprises, all or in one of PUSH_STATES (an unknown state: all)."""
    ent_ids = [a.enterprise_id for a in user.assignments if a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id]
    pushes = PolicyPush.objects.filter(enterprise_id__in=ent_ids)
    if state in PUSH_STATES:
        pushes = pushes.filter(PUSH_STATES[state][1])
    return pushes.select_related("policy", "enterprise").order_by("-pushed_at", "-id")


def briefing_list() -> QuerySet[Briefing]:
    return Briefing.objects.annotate(n=Count("attendees")).order_by("-held_on")
