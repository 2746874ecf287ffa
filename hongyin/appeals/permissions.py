"""Who sees which appeals and visits.

Appeals follow the enterprises: whoever serves an enterprise (hongyin.enterprises.permissions: an org scope covers
the enterprises whose party organization is in its subtree and those in the buildings / on the chains whose party
committee is in it; the zone's root scope covers every enterprise; a grid scope its cells' enterprises; an
enterprise scope that enterprise) sees its appeals; a department scope sees the appeals routed to it.
Visits: an org scope covers the enterprises whose party organization is in its subtree, a grid scope the
enterprises of its cells, an enterprise scope that enterprise."""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, covers_whole_zone, get_or_404, scope_q

from .models import Appeal, Visit

APPEAL_SCOPE = ScopeFields(
    org="enterprise__org", grid="enterprise__grid_cell", enterprise="enterprise", department="department"
)
VISIT_SCOPE = ScopeFields(org="enterprise__org", grid="enterprise__grid_cell", enterprise="enterprise")


def _is_whole_zone(user, perm: str) -> bool:
    """A zone-level org scope (the root of the only tree) sees everything: no filter, no join."""
    from hongyin.orgs.models import Organization

    if not covers_whole_zone(user, perm):
        return False
    cached = getattr(user, "_single_root", None)
    if cached is None:
        cached = user._single_root = Organization.objects.filter(depth=1).count() == 1
    return cached


def appeals_visible_to(user, perm: str = "appeals.view") -> QuerySet[Appeal]:
    """The appeals of every enterprise in the user's enterprise scope for `perm`, and those routed to its department."""
    from hongyin.enterprises.models import Enterprise
    from hongyin.enterprises.permissions import enterprise_scope_q

    qs = Appeal.objects.all()
    if scope_q(user, perm, APPEAL_SCOPE) is None:
        return qs.none()
    if _is_whole_zone(user, perm):
        return qs
    q = scope_q(user, perm, ScopeFields(department=APPEAL_SCOPE.department))
    served = enterprise_scope_q(user, perm)
    if served is not None:
        part = Q(enterprise__in=Enterprise.objects.filter(served).values("pk"))
        q = part if q is None else q | part
    return qs.none() if q is None else qs.filter(q)


def get_appeal_for_user_or_404(user, pk, perm: str = "appeals.view") -> Appeal:
    return get_or_404(lambda: appeals_visible_to(user, perm).get(pk=pk))


def visits_visible_to(user, perm: str = "visits.view") -> QuerySet[Visit]:
    """The visits to every enterprise the user serves (the enterprises app's scope, as for appeals): a building or
    chain committee sees the visits to its buildings' and chain's firms, which it may also record."""
    from hongyin.enterprises.models import Enterprise
    from hongyin.enterprises.permissions import enterprise_scope_q

    qs = Visit.objects.all()
    if scope_q(user, perm, VISIT_SCOPE) is None:
        return qs.none()
    if _is_whole_zone(user, perm):
        return qs
    served = enterprise_scope_q(user, perm)
    return qs.none() if served is None else qs.filter(enterprise__in=Enterprise.objects.filter(served).values("pk"))


def get_visit_for_user_or_404(user, pk, perm: str = "visits.view") -> Visit:
    return get_or_404(lambda: visits_visible_to(user, perm).get(pk=pk))


def enterprises_in_scope(user, perm: str):
    """The enterprises the user may act on with `perm` (for forms and services): the enterprises app's scope."""
    from hongyin.enterprises.permissions import enterprises_visible_to

    return enterprises_visible_to(user, perm)
