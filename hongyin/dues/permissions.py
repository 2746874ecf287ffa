"""Who sees which dues: party roles by their organization scope (the record's branch); a member only its own."""

from django.db.models import Q, QuerySet
from django.http import Http404

from hongyin.common.permissions import ScopeFields, get_for_user_or_404, scope_q

from .models import DuesRecord, DuesReduction, DuesStanding

BRANCH_SCOPE = ScopeFields(org="branch")
MEMBER_BRANCH_SCOPE = ScopeFields(org="org")


def _visible(user, qs: QuerySet, fields: ScopeFields, own: str) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = scope_q(user, "dues.manage", fields)
    if user.has_role_perm("dues.view"):
        mine = Q(**{own: user})
        q = mine if q is None else q | mine
    return qs.none() if q is None else qs.filter(q)


def dues_records_visible_to(user) -> QuerySet[DuesRecord]:
    return _visible(user, DuesRecord.objects.all(), BRANCH_SCOPE, "member__user")


def standings_visible_to(user) -> QuerySet[DuesStanding]:
    return _visible(user, DuesStanding.objects.all(), BRANCH_SCOPE, "member__user")


def reductions_visible_to(user) -> QuerySet[DuesReduction]:
    return _visible(user, DuesReduction.objects.all(), BRANCH_SCOPE, "member__user")


def get_reduction_for_user_or_404(user, pk) -> DuesReduction:
    try:
        return reductions_visible_to(user).select_related("member", "branch").get(pk=pk)
    except (DuesReduction.DoesNotExist, ValueError, TypeError):
        raise Http404


def get_record_for_user_or_404(user, pk) -> DuesRecord:
    """A dues record the user manages (members see their own records but do not correct them)."""
    qs = DuesRecord.objects.select_related("member", "branch")
    return get_for_user_or_404(user, qs, "dues.manage", BRANCH_SCOPE, pk=pk)
