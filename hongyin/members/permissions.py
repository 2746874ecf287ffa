from django.db.models import QuerySet

from hongyin.common.permissions import ScopeFields, get_for_user_or_404, scope_queryset

from .models import Member

MEMBER_SCOPE = ScopeFields(org="org")


def members_visible_to(user, perm: str = "members.view") -> QuerySet[Member]:
    """Members inside the user's organization scopes (a member's branch decides)."""
    return scope_queryset(user, Member.objects.all(), perm, MEMBER_SCOPE)


def get_member_for_user_or_404(user, pk, perm: str = "members.view") -> Member:
    return get_for_user_or_404(user, Member.objects.select_related("org", "party_group"), perm, MEMBER_SCOPE, pk=pk)


def can_view_personal_data(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role_perm("personal_data.view"))
