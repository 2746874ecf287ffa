from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hongyin.accounts.roles import roles_with

from .models import Organization
from .permissions import orgs_visible_to


def tree_roots_for(user) -> QuerySet[Organization]:
    """The top nodes of the user's visible forest: visible nodes whose parent the user cannot see."""
    visible = orgs_visible_to(user)
    roots = [a.org for a in user.assignments if a.org_id and a.role in roles_with("orgs.view")]
    root_paths = {o.path for o in roots if not any(o.path.startswith(p.path) and o.path != p.path for p in roots)}
    return with_counts(visible.filter(path__in=root_paths)).order_by("path")


def children_for(user, parent: Organization) -> QuerySet[Organization]:
    return with_counts(orgs_visible_to(user).filter(path__startswith=parent.path, depth=parent.depth + 1)).order_by(
        "path"
    )


def with_counts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Adds `child_count` (direct children) in one subquery, so a list of nodes costs one query."""
    children = (
        Organization.objects.filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(child_count=Coalesce(Subquery(children[:1]), 0))
