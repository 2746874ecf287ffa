"""Who sees which development cases: party roles by the case's branch; a member only its own case."""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q

from .models import DevelopmentCase

CASE_SCOPE = ScopeFields(org="branch")


def cases_visible_to(user) -> QuerySet[DevelopmentCase]:
    qs = DevelopmentCase.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = scope_q(user, "development.manage", CASE_SCOPE)
    if user.has_role_perm("development.view"):
        q = Q(member__user=user) if q is None else q | Q(member__user=user)
    return qs.none() if q is None else qs.filter(q)


def get_case_for_user_or_404(user, pk) -> DevelopmentCase:
    return get_or_404(lambda: cases_visible_to(user).select_related("branch", "member").get(pk=pk))
