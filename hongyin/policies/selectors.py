from django.db.models import Count, Q, QuerySet

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


def pushes_for_user(user) -> QuerySet[PolicyPush]:
    ent_ids = [a.enterprise_id for a in user.assignments if a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id]
    return PolicyPush.objects.filter(enterprise_id__in=ent_ids).select_related("policy").order_by("-pushed_at")


def briefing_list() -> QuerySet[Briefing]:
    return Briefing.objects.annotate(n=Count("attendees")).order_by("-held_on")
