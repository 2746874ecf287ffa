"""Who sees what of red credit, partner tickets and investment.

Credit applications: the party side sees the applications of the enterprises in its scope (hongyin.enterprises'
scope: organization subtree, buildings and chains of its committees); an enterprise contact its enterprise's; a
bank reviewer (scoped to its institution) only the applications sent to it - endorsed by the party organization -
and nothing else of the zone. Tickets: the enterprise side as for enterprises; a partner contact only its partner's.
"""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q
from hongyin.common.roles import ScopeKind, roles_with
from hongyin.common.scopes import assignment_covers_whole_zone
from hongyin.enterprises.models import Enterprise
from hongyin.enterprises.permissions import enterprise_scope_q

from .models import SENT_STATUSES, CreditApplication, PartnerOffer, PriorityTicket

CREDIT_VIEW = "finance.credit_view"
CREDIT_APPLY = "finance.credit_apply"
CREDIT_ENDORSE = "finance.credit_endorse"
CREDIT_DECIDE = "finance.credit_decide"
CREDIT_FIGURES = "finance.credit_figures"
OFFERS_VIEW = "finance.offers_view"
OFFERS_PUBLISH = "finance.offers_publish"
TICKETS_OPEN = "finance.tickets_open"
TICKETS_ANSWER = "finance.tickets_answer"
INVEST_VIEW = "finance.invest_view"

INSTITUTION_SCOPE = ScopeFields(financial_institution="institution")
PARTNER_SCOPE = ScopeFields(partner="partner")


def _or(*parts) -> Q | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    q = parts[0]
    for p in parts[1:]:
        q |= p
    return q


def _enterprise_q(user, perm: str) -> Q | None:
    q = enterprise_scope_q(user, perm)
    if q is None:
        return None
    if q == Q():
        return Q()
    return Q(enterprise__in=Enterprise.objects.filter(q).values("pk"))


def applications_visible_to(user, perm: str = CREDIT_VIEW) -> QuerySet[CreditApplication]:
    bank = scope_q(user, perm, INSTITUTION_SCOPE)
    if bank is not None:
        bank &= Q(status__in=SENT_STATUSES)
    q = _or(_enterprise_q(user, perm), bank)
    return CreditApplication.objects.none() if q is None else CreditApplication.objects.filter(q)


def get_application_for_user_or_404(user, pk) -> CreditApplication:
    return get_or_404(
        lambda: applications_visible_to(user).select_related("enterprise", "product", "institution", "org").get(pk=pk)
    )


def institutions_of(user, perm: str = CREDIT_DECIDE) -> set[int]:
    """The institutions the user decides for (its bank_reviewer assignments)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    allowed = roles_with(perm)
    return {
        a.financial_institution_id
        for a in user.assignments
        if a.role in allowed and a.scope_kind == ScopeKind.FINANCIAL_INSTITUTION and a.financial_institution_id
    }


def partners_of(user, perm: str = TICKETS_ANSWER) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    allowed = roles_with(perm)
    return {
        a.partner_id
        for a in user.assignments
        if a.role in allowed and a.scope_kind == ScopeKind.PARTNER and a.partner_id
    }


def endorsing_orgs(enterprise) -> list:
    """Who endorses: the enterprise's own party organization; for an enterprise without one, the committee of its
    building and of the chains it is on (none of them: only the zone's working committee)."""
    if enterprise.org_id:
        return [enterprise.org]
    found = []
    if enterprise.building_id and enterprise.building.party_committee_id:
        found.append(enterprise.building.party_committee)
    for m in enterprise.chain_memberships.select_related("node__chain__party_committee"):
        committee = m.node.chain.party_committee
        if committee is not None and committee not in found:
            found.append(committee)
    return found


def covers_for_endorsement(user, enterprise, orgs=None) -> bool:
    """The user holds the endorse permission through an organization scope covering one of the endorsing orgs."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    orgs = endorsing_orgs(enterprise) if orgs is None else orgs
    allowed = roles_with(CREDIT_ENDORSE)
    for a in user.assignments:
        if a.role not in allowed or a.scope_kind != ScopeKind.ORG or a.org_id is None:
            continue
        if assignment_covers_whole_zone(a):
            return True
        if any(o.path.startswith(a.org.path) for o in orgs):
            return True
    return False


def offers_visible_to(user) -> QuerySet[PartnerOffer]:
    """A partner contact sees its partner's offers; the other holders of the permission all offers."""
    if not user.has_role_perm(OFFERS_VIEW):
        return PartnerOffer.objects.none()
    own = partners_of(user, OFFERS_VIEW)
    other_roles = [
        a for a in user.assignments if a.role in roles_with(OFFERS_VIEW) and a.scope_kind != ScopeKind.PARTNER
    ]
    if own and not other_roles:
        return PartnerOffer.objects.filter(partner_id__in=own)
    return PartnerOffer.objects.all()


def tickets_visible_to(user, perm: str = OFFERS_VIEW) -> QuerySet[PriorityTicket]:
    q = _or(_enterprise_q(user, perm), scope_q(user, perm, PARTNER_SCOPE))
    return PriorityTicket.objects.none() if q is None else PriorityTicket.objects.filter(q)


def get_ticket_for_user_or_404(user, pk) -> PriorityTicket:
    return get_or_404(lambda: tickets_visible_to(user).select_related("offer", "partner", "enterprise").get(pk=pk))


def can_answer(user, ticket) -> bool:
    return ticket.partner_id in partners_of(user)


def can_use_for(user, enterprise, perm: str = TICKETS_OPEN) -> bool:
    """The enterprise contact of this enterprise (applies for credit, opens tickets, declares savings)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.has_role_perm(perm)):
        return False
    q = scope_q(user, perm, ScopeFields(enterprise=""))
    return q is not None and Enterprise.objects.filter(q, pk=enterprise.pk).exists()


def contact_enterprises(user, perm: str = TICKETS_OPEN) -> QuerySet[Enterprise]:
    q = scope_q(user, perm, ScopeFields(enterprise=""))
    return Enterprise.objects.none() if q is None else Enterprise.objects.filter(q)
