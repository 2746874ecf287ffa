"""Who sees and acts on which posts, contacts and deals.

- zone (an organization scope at the root): everything;
- a chain committee admin: the posts, contacts and deals of the chains whose party committee is in its subtree,
  and the zone-public posts;
- an enterprise contact: its enterprises' own posts, the zone-public posts and the chain-public posts of the chains
  its enterprises belong to (or have posted on); it acts only for its enterprises.
"""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import covers_whole_zone, get_or_404
from hongyin.common.roles import Role, ScopeKind, roles_with
from hongyin.enterprises.models import ChainMembership, IndustryChain

from .models import ContactRequest, Deal, Post, PostStatus, Visibility

VIEW = "matching.view"
POST = "matching.post"
MANAGE = "matching.manage"
FIGURES = "matching.figures"


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def own_enterprise_ids(user, perm: str = POST) -> set[int]:
    """The enterprises the user acts for (its enterprise-contact assignments)."""
    if not _active(user):
        return set()
    allowed = roles_with(perm)
    return {
        a.enterprise_id
        for a in user.assignments
        if a.role in allowed
        and a.role == Role.ENTERPRISE_CONTACT
        and a.scope_kind == ScopeKind.ENTERPRISE
        and a.enterprise_id
    }


def zone_wide(user, perm: str = VIEW) -> bool:
    return covers_whole_zone(user, perm)


def managed_chain_ids(user, perm: str = MANAGE) -> set[int] | None:
    """The chains the user administers (None: all of them, the zone)."""
    if not _active(user):
        return set()
    if covers_whole_zone(user, perm):
        return None
    allowed = roles_with(perm)
    paths = [a.org.path for a in user.assignments if a.role in allowed and a.scope_kind == ScopeKind.ORG and a.org_id]
    if not paths:
        return set()
    q = Q()
    for path in paths:
        q |= Q(party_committee__path__startswith=path)
    return set(IndustryChain.objects.filter(q).values_list("pk", flat=True))


def participating_chain_ids(enterprise_ids: set[int]) -> set[int]:
    if not enterprise_ids:
        return set()
    members = ChainMembership.objects.filter(enterprise_id__in=enterprise_ids).values_list("node__chain_id", flat=True)
    posted = Post.objects.filter(enterprise_id__in=enterprise_ids).values_list("chain_id", flat=True).distinct()
    return set(members) | set(posted)


def post_scope_q(user) -> Q | None:
    if not _active(user) or not user.has_role_perm(VIEW):
        return None
    if zone_wide(user):
        return Q()
    own = own_enterprise_ids(user, VIEW)
    managed = managed_chain_ids(user, VIEW) if user.has_role_perm(MANAGE) else set()
    chains = participating_chain_ids(own) | (managed or set())
    public = Q(visibility=Visibility.ZONE) | Q(visibility=Visibility.CHAIN, chain_id__in=sorted(chains))
    q = Q(status=PostStatus.OPEN) & public
    if own:
        q |= Q(enterprise_id__in=sorted(own))
    if managed:
        q |= Q(chain_id__in=sorted(managed))
    return q


def posts_visible_to(user) -> QuerySet[Post]:
    q = post_scope_q(user)
    return Post.objects.none() if q is None else Post.objects.filter(q)


def get_post_for_user_or_404(user, pk) -> Post:
    return get_or_404(lambda: posts_visible_to(user).select_related("enterprise", "chain", "node").get(pk=pk))


def other_post_for_user_or_404(user, pk) -> Post:
    """The counterpart post of a contact request, as the user may see it."""
    return get_or_404(lambda: posts_visible_to(user).select_related("enterprise").filter(pk=pk).get())


def can_act_for_post(user, post: Post) -> bool:
    """The post's side: its enterprise's contact, or the admin of its chain (the zone: any)."""
    if not _active(user):
        return False
    if post.enterprise_id and post.enterprise_id in own_enterprise_ids(user):
        return True
    if not user.has_role_perm(MANAGE):
        return False
    managed = managed_chain_ids(user)
    return managed is None or post.chain_id in managed


def _side_q(user, prefix_from: str, prefix_to: str) -> Q | None:
    if not _active(user) or not user.has_role_perm(VIEW):
        return None
    if zone_wide(user):
        return Q()
    own = sorted(own_enterprise_ids(user, VIEW))
    q = Q(pk__in=[])
    if own:
        q |= Q(**{f"{prefix_from}__in": own}) | Q(**{f"{prefix_to}__in": own})
    if user.has_role_perm(MANAGE):
        managed = managed_chain_ids(user)
        if managed:
            q |= Q(chain_id__in=sorted(managed))
    return q


def contacts_visible_to(user) -> QuerySet[ContactRequest]:
    q = _side_q(user, "from_enterprise_id", "to_enterprise_id")
    return ContactRequest.objects.none() if q is None else ContactRequest.objects.filter(q)


def deals_visible_to(user) -> QuerySet[Deal]:
    q = _side_q(user, "enterprise_a_id", "enterprise_b_id")
    return Deal.objects.none() if q is None else Deal.objects.filter(q)


def get_contact_for_user_or_404(user, pk) -> ContactRequest:
    return get_or_404(
        lambda: (
            contacts_visible_to(user)
            .select_related("post", "other_post", "from_enterprise", "to_enterprise", "chain")
            .get(pk=pk)
        )
    )


def _admin_of_chain(user, chain_id: int) -> bool:
    if not user.has_role_perm(MANAGE):
        return False
    managed = managed_chain_ids(user)
    return managed is None or chain_id in managed


def can_answer(user, contact: ContactRequest) -> bool:
    """The receiving side: the contact of the enterprise asked; for a firm outside the platform, its chain's admin."""
    if not _active(user):
        return False
    if contact.to_enterprise_id:
        return contact.to_enterprise_id in own_enterprise_ids(user)
    return _admin_of_chain(user, contact.chain_id)


def can_record_deal(user, contact: ContactRequest) -> bool:
    """Either side; a side outside the platform is represented by its chain's admin."""
    if not _active(user):
        return False
    own = own_enterprise_ids(user)
    if (contact.from_enterprise_id in own) or (contact.to_enterprise_id in own):
        return True
    if contact.from_enterprise_id is None or contact.to_enterprise_id is None:
        return _admin_of_chain(user, contact.chain_id)
    return False


def chains_for_figures(user) -> QuerySet[IndustryChain]:
    if not _active(user) or not user.has_role_perm(FIGURES):
        return IndustryChain.objects.none()
    managed = managed_chain_ids(user, FIGURES)
    return IndustryChain.objects.all() if managed is None else IndustryChain.objects.filter(pk__in=managed)
