from django.db.models import QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q
from hongyin.common.roles import ScopeKind, roles_with

from .models import GridCell

GRID_SCOPE = ScopeFields(grid="")


def cells_visible_to(user, perm: str = "grid.view") -> QuerySet[GridCell]:
    """Grid officers see their cells' subtrees; org-scoped roles (zone, committees) see the whole grid."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return GridCell.objects.none()
    allowed = roles_with(perm)
    if any(a.role in allowed and a.scope_kind == ScopeKind.ORG for a in user.assignments):
        return GridCell.objects.all()
    q = scope_q(user, perm, GRID_SCOPE)
    return GridCell.objects.none() if q is None else GridCell.objects.filter(q)


def get_cell_for_user_or_404(user, pk, perm: str = "grid.view") -> GridCell:
    return get_or_404(lambda: cells_visible_to(user, perm).get(pk=pk))


def top_cells_for(user, perm: str = "grid.view") -> QuerySet[GridCell]:
    visible = cells_visible_to(user, perm)
    paths = sorted(visible.values_list("path", flat=True)[:2000])
    roots = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    return GridCell.objects.filter(path__in=roots).order_by("path")
