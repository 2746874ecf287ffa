"""Who sees which enterprises, buildings and chains.

zone_admin: everything of the zone; committee_admin: enterprises whose organization is in its subtree, plus the
enterprises in the buildings / on the chains whose party committee is in its subtree; grid_officer: its cells'
subtree; instructor / enterprise_contact: their enterprise.
"""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, covers_whole_zone, get_or_404, scope_q
from hongyin.common.roles import ScopeKind, roles_with

from .models import Building, ChainMembership, Enterprise, EnterpriseLinkRequest, IndustryChain, LinkStatus

ENTERPRISE_SCOPE = ScopeFields(org="org", grid="grid_cell", enterprise="")


def _org_assignments(user, perm: str):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    allowed = roles_with(perm)
    return [a for a in user.assignments if a.role in allowed and a.scope_kind == ScopeKind.ORG and a.org_id]


def _zone_wide(user, perm: str) -> bool:
    """An org scope at a root of the tree (the zone's working committee) sees the whole zone."""
    return covers_whole_zone(user, perm)


def enterprise_scope_q(user, perm: str = "enterprises.view") -> Q | None:
    if _zone_wide(user, perm):
        return Q()
    q = scope_q(user, perm, ENTERPRISE_SCOPE)
    for a in _org_assignments(user, perm):
        path = a.org.path
        part = Q(building__party_committee__path__startswith=path) | Q(
            pk__in=ChainMembership.objects.filter(node__chain__party_committee__path__startswith=path).values(
                "enterprise_id"
            )
        )
        q = part if q is None else q | part
    return q


def enterprises_visible_to(user, perm: str = "enterprises.view") -> QuerySet[Enterprise]:
    q = enterprise_scope_q(user, perm)
    return Enterprise.objects.none() if q is None else Enterprise.objects.filter(q)


def get_enterprise_for_user_or_404(user, pk, perm: str = "enterprises.view") -> Enterprise:
    return get_or_404(lambda: enterprises_visible_to(user, perm).get(pk=pk))


def buildings_visible_to(user, perm: str = "buildings.view") -> QuerySet[Building]:
    if _zone_wide(user, perm):
        return Building.objects.all()
    q = scope_q(user, perm, ScopeFields(org="party_committee", grid="grid_cell"))
    if q is None:
        return Building.objects.none()
    return Building.objects.filter(q)


def get_building_for_user_or_404(user, pk, perm: str = "buildings.view") -> Building:
    return get_or_404(lambda: buildings_visible_to(user, perm).get(pk=pk))


def chains_visible_to(user, perm: str = "chains.view") -> QuerySet[IndustryChain]:
    """Chains are zone-wide reference data for every role that may view them; the committee scope limits manage."""
    if perm == "chains.view":
        return IndustryChain.objects.all() if user.has_role_perm(perm) else IndustryChain.objects.none()
    if _zone_wide(user, perm):
        return IndustryChain.objects.all()
    q = scope_q(user, perm, ScopeFields(org="party_committee"))
    return IndustryChain.objects.none() if q is None else IndustryChain.objects.filter(q)


def get_chain_for_user_or_404(user, pk, perm: str = "chains.view") -> IndustryChain:
    return get_or_404(lambda: chains_visible_to(user, perm).get(pk=pk))


def link_requests_decidable_by(user) -> QuerySet[EnterpriseLinkRequest]:
    """Pending link requests the user may decide: the zone all of them (unknown codes included), a committee those
    whose enterprise is already in its manage scope; never its own."""
    perm = "enterprises.manage"
    if not getattr(user, "is_authenticated", False) or not user.has_role_perm(perm):
        return EnterpriseLinkRequest.objects.none()
    pending = EnterpriseLinkRequest.objects.filter(status=LinkStatus.PENDING).exclude(requester=user)
    if _zone_wide(user, perm):
        return pending
    return pending.filter(enterprise__in=enterprises_visible_to(user, perm))


def link_requests_visible_to(user) -> QuerySet[EnterpriseLinkRequest]:
    """The user's own requests (the code and the outcome only) and the ones it may decide."""
    if not getattr(user, "is_authenticated", False) or not user.has_role_perm("enterprises.manage"):
        return EnterpriseLinkRequest.objects.none()
    decidable = link_requests_decidable_by(user).values("pk")
    return EnterpriseLinkRequest.objects.filter(Q(requester=user) | Q(pk__in=decidable))


def get_link_request_for_user_or_404(user, pk) -> EnterpriseLinkRequest:
    return get_or_404(lambda: link_requests_decidable_by(user).get(pk=pk))
