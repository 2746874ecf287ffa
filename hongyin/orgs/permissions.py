from django.db.models import QuerySet

from hongyin.common.permissions import ScopeFields, get_for_user_or_404, scope_queryset

from .models import Organization

ORG_SCOPE = ScopeFields(org="")


def orgs_visible_to(user, perm: str = "orgs.view") -> QuerySet[Organization]:
    return scope_queryset(user, Organization.objects.all(), perm, ORG_SCOPE)


def get_org_for_user_or_404(user, pk, perm: str = "orgs.view") -> Organization:
    return get_for_user_or_404(user, Organization.objects.all(), perm, ORG_SCOPE, pk=pk)
