from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hongyin.common.monthly import cumulate, per_month
from hongyin.common.roles import roles_with

from . import extensions
from .models import Organization
from .permissions import orgs_visible_to


def tree_roots_for(user) -> QuerySet[Organization]:
    """The top nodes of the user's visible forest: visible nodes whose parent the user cannot see."""
    visible = orgs_visible_to(user)
    roots = [a.org for a in user.assignments if a.org_id and a.role in roles_with("orgs.view")]
    root_paths = {o.path for o in roots if not any(o.path.startswith(p.path) and o.path != p.path for p in roots)}
    return with_counts(visible.filter(path__in=root_paths, dissolved_on__isnull=True)).order_by("path")


def children_for(user, parent: Organization) -> list[Organization]:
    """Direct children in scope with `child_count`: two range queries (children, grandchildren) instead of a
    correlated count per child."""
    nodes = list(
        orgs_visible_to(user)
        .filter(path__startswith=parent.path, depth=parent.depth + 1, dissolved_on__isnull=True)
        .order_by("path")
    )
    if not nodes:
        return nodes
    grandchildren = Organization.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 2, dissolved_on__isnull=True
    ).values_list("path", flat=True)
    length = len(nodes[0].path)
    counts: dict[str, int] = {}
    for path in grandchildren:
        counts[path[:length]] = counts.get(path[:length], 0) + 1
    for node in nodes:
        node.child_count = counts.get(node.path, 0)
    return nodes


def with_counts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Adds `child_count` (direct children) in one subquery, so a list of nodes costs one query."""
    children = (
        Organization.objects.filter(
            path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1, dissolved_on__isnull=True
        )
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(child_count=Coalesce(Subquery(children[:1]), 0))


def member_counts_by_child(parent: Organization, nodes) -> dict[int, int]:
    """Active members in each node's subtree, for sibling nodes: one grouped count per organization (on the
    member table's org index) and one list of the subtree's paths, summed by path prefix here."""
    nodes = list(nodes)
    if not nodes:
        return {}
    subtree = Organization.objects.filter(path__startswith=parent.path)
    paths = dict(subtree.values_list("pk", "path"))
    # a small subtree: join on the path; a big one: count every organization, no join
    per_org = extensions.members_per_org(parent.path if len(paths) < 300 else None)
    length = len(nodes[0].path)
    by_prefix: dict[str, int] = {}
    for org_id, n in per_org:
        prefix = paths.get(org_id, "")[:length]
        by_prefix[prefix] = by_prefix.get(prefix, 0) + n
    return {n.pk: by_prefix.get(n.path, 0) for n in nodes}


def org_stats(user, org: Organization) -> dict:
    """Organizations of a subtree by kind and by category (active ones)."""
    base = orgs_visible_to(user).filter(path__startswith=org.path, dissolved_on__isnull=True)
    return {
        "total": base.count(),
        "kind": dict(base.values_list("kind").annotate(n=Count("pk")).order_by("kind").values_list("kind", "n")),
        "category": dict(
            base.values_list("category").annotate(n=Count("pk")).order_by("category").values_list("category", "n")
        ),
    }


def org_growth(user, org: Organization, start, end) -> list[tuple[str, int]]:
    """Organizations of the subtree existing at the end of each month (founded, not yet dissolved)."""
    base = orgs_visible_to(user).filter(path__startswith=org.path, founded_on__isnull=False)
    before = base.filter(founded_on__lt=start).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start)).count()
    added = per_month(base, "founded_on", start, end)
    gone = per_month(base, "dissolved_on", start, end)
    return cumulate(before, added, gone, start, end)
