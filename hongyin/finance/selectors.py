"""Reads of red credit, partner tickets and investment: the lists, the figures (one aggregate query each)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from hongyin.common.roles import ScopeKind, roles_with
from hongyin.enterprises.models import ChainMembership, Enterprise, IndustryChain
from hongyin.enterprises.permissions import enterprises_visible_to
from hongyin.orgs.models import Organization

from .models import (
    APPROVED_STATUSES,
    DISBURSED_STATUSES,
    CreditApplication,
    CreditProduct,
    CreditStatus,
    Fund,
    Investment,
    PartnerOffer,
    PriorityTicket,
    TicketStatus,
    TicketStep,
)
from .permissions import (
    CREDIT_FIGURES,
    INVEST_VIEW,
    applications_visible_to,
    contact_enterprises,
    offers_visible_to,
    tickets_visible_to,
)

ZERO = Decimal("0")


@dataclass
class CreditFigures:
    applications: int = 0
    approvals: int = 0
    amount_approved: Decimal = ZERO
    amount_disbursed: Decimal = ZERO
    firms_served: int = 0
    avg_rate_preference: Decimal | None = None

    @property
    def approved_wan(self) -> Decimal:
        return (self.amount_approved / 10000).quantize(Decimal("1"))

    @property
    def disbursed_wan(self) -> Decimal:
        return (self.amount_disbursed / 10000).quantize(Decimal("1"))


def _approved():
    return Q(status__in=APPROVED_STATUSES)


def credit_figures(qs: QuerySet[CreditApplication]) -> CreditFigures:
    """Applications, approvals, amounts approved and disbursed, firms served (approved at least once), the average
    rate preference of the approvals: one query."""
    row = qs.aggregate(
        applications=Count("id"),
        approvals=Count("id", filter=_approved()),
        amount_approved=Sum("approved_amount", filter=_approved()),
        amount_disbursed=Sum("disbursed_amount", filter=Q(status__in=DISBURSED_STATUSES)),
        firms_served=Count("enterprise", filter=_approved(), distinct=True),
        avg_rate_preference=Avg("rate_preference", filter=_approved()),
    )
    avg = row["avg_rate_preference"]
    return CreditFigures(
        applications=row["applications"],
        approvals=row["approvals"],
        amount_approved=row["amount_approved"] or ZERO,
        amount_disbursed=row["amount_disbursed"] or ZERO,
        firms_served=row["firms_served"],
        avg_rate_preference=Decimal(avg).quantize(Decimal("0.01")) if avg is not None else None,
    )


def committee_applications(org: Organization) -> QuerySet[CreditApplication]:
    """The applications endorsed by an organization of the committee's subtree."""
    return CreditApplication.objects.filter(org__path__startswith=org.path)


def credit_by_committee(qs: QuerySet[CreditApplication]) -> list[tuple[Organization, CreditFigures]]:
    """The figures per committee under the zone (the subtrees one level below the root): one grouped query."""
    steplen = Organization.steplen
    rows = (
        qs.annotate(top=Substr("org__path", 1, 2 * steplen))
        .values("top")
        .annotate(
            applications=Count("id"),
            approvals=Count("id", filter=_approved()),
            amount_approved=Sum("approved_amount", filter=_approved()),
            amount_disbursed=Sum("disbursed_amount", filter=Q(status__in=DISBURSED_STATUSES)),
            firms_served=Count("enterprise", filter=_approved(), distinct=True),
            avg_rate_preference=Avg("rate_preference", filter=_approved()),
        )
        .order_by("top")
    )
    rows = [r for r in rows if len(r["top"]) == 2 * steplen]
    orgs = {o.path: o for o in Organization.objects.filter(path__in=[r["top"] for r in rows])}
    out = []
    for r in rows:
        org = orgs.get(r["top"])
        if org is None:
            continue
        avg = r["avg_rate_preference"]
        out.append(
            (
                org,
                CreditFigures(
                    applications=r["applications"],
                    approvals=r["approvals"],
                    amount_approved=r["amount_approved"] or ZERO,
                    amount_disbursed=r["amount_disbursed"] or ZERO,
                    firms_served=r["firms_served"],
                    avg_rate_preference=Decimal(avg).quantize(Decimal("0.01")) if avg is not None else None,
                ),
            )
        )
    out.sort(key=lambda pair: -pair[1].amount_approved)
    return out


def figure_orgs(user) -> list[Organization]:
    """The organizations whose credit figures the user reads: its organization scopes holding the permission."""
    allowed = roles_with(CREDIT_FIGURES)
    return [a.org for a in user.assignments if a.role in allowed and a.scope_kind == ScopeKind.ORG and a.org_id]


def application_list(*, user, status: str = "", q: str = "") -> QuerySet[CreditApplication]:
    qs = applications_visible_to(user).select_related("enterprise", "product", "institution", "org")
    if status in CreditStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.order_by("-applied_on", "-id")


def bank_queue(*, user) -> QuerySet[CreditApplication]:
    """The reviewer's queue: applications endorsed and waiting for its decision, the most urgent first."""
    return (
        applications_visible_to(user)
        .filter(status=CreditStatus.ENDORSED)
        .select_related("enterprise", "product")
        .order_by("decision_due", "id")
    )


def products(*, active_only: bool = True) -> QuerySet[CreditProduct]:
    qs = CreditProduct.objects.select_related("institution")
    if active_only:
        qs = qs.filter(is_active=True, institution__is_active=True)
    return qs.order_by("institution__kind", "institution__name", "name")


# --- offers and tickets ---------------------------------------------------------------------------------------------


def offer_list(*, user, current_only: bool = True) -> QuerySet[PartnerOffer]:
    qs = offers_visible_to(user).select_related("partner", "building", "chain")
    if current_only:
        today = timezone.localdate()
        qs = qs.filter(is_withdrawn=False, valid_from__lte=today, valid_until__gte=today)
    enterprises = contact_enterprises(user)
    if enterprises.exists() and not user.has_role_perm("finance.offers_publish"):
        # an enterprise contact sees the offers that reach its enterprise: the zone's, its building's, its chains'
        ent = list(enterprises.values("building_id", "pk"))
        buildings = {e["building_id"] for e in ent if e["building_id"]}
        chains = set(
            ChainMembership.objects.filter(enterprise__in=[e["pk"] for e in ent]).values_list(
                "node__chain_id", flat=True
            )
        )
        qs = qs.filter(
            (Q(building__isnull=True) | Q(building_id__in=buildings)) & (Q(chain__isnull=True) | Q(chain_id__in=chains))
        )
    return qs.order_by("-valid_from", "-id")


def ticket_list(*, user, status: str = "", late: bool = False) -> QuerySet[PriorityTicket]:
    qs = tickets_visible_to(user).select_related("offer", "partner", "enterprise")
    if status in TicketStatus.values:
        qs = qs.filter(status=status)
    if late:
        qs = qs.exclude(status=TicketStatus.DONE).filter(current_due__lt=timezone.localdate())
    return qs.order_by("-opened_on", "-id")


@dataclass
class TicketFigures:
    offers: int
    tickets: int
    done: int
    steps: int
    on_time: int
    savings: Decimal

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.steps, 1) if self.steps else None


def ticket_figures(*, user) -> TicketFigures:
    tickets = tickets_visible_to(user)
    t = tickets.aggregate(
        tickets=Count("id"), done=Count("id", filter=Q(status=TicketStatus.DONE)), savings=Sum("savings")
    )
    s = TicketStep.objects.filter(ticket__in=tickets.values("pk")).aggregate(
        steps=Count("id"), on_time=Count("id", filter=Q(on_time=True))
    )
    return TicketFigures(
        offers=offers_visible_to(user).filter(is_withdrawn=False).count(),
        tickets=t["tickets"],
        done=t["done"],
        steps=s["steps"],
        on_time=s["on_time"],
        savings=t["savings"] or ZERO,
    )


# --- investment -----------------------------------------------------------------------------------------------------


@dataclass
class ChainInvestment:
    chain: IndustryChain
    funds: int
    fund_size: Decimal
    investments: int
    amount: Decimal
    firms: int
    incubated: int
    listed: int


def investment_by_chain() -> list[ChainInvestment]:
    """Per chain: the funds aimed at it and their size; the investments in its enterprises, the firms invested,
    incubated and listed."""
    out = []
    for chain in IndustryChain.objects.order_by("name"):
        on_chain = Exists(ChainMembership.objects.filter(enterprise=OuterRef("enterprise"), node__chain=chain))
        f = Fund.objects.filter(chain=chain).aggregate(n=Count("id"), size=Sum("size"))
        inv = Investment.objects.filter(on_chain).aggregate(
            n=Count("id"),
            amount=Sum("amount"),
            firms=Count("enterprise", distinct=True),
            incubated=Count("enterprise", filter=Q(incubated=True), distinct=True),
            listed=Count("enterprise", filter=~Q(enterprise__listed_board=""), distinct=True),
        )
        out.append(
            ChainInvestment(
                chain=chain,
                funds=f["n"],
                fund_size=f["size"] or ZERO,
                investments=inv["n"],
                amount=inv["amount"] or ZERO,
                firms=inv["firms"],
                incubated=inv["incubated"],
                listed=inv["listed"],
            )
        )
    return out


def funds() -> QuerySet[Fund]:
    return (
        Fund.objects.select_related("manager", "chain")
        .annotate(n=Count("investments"), invested=Sum("investments__amount"))
        .order_by("-size")
    )


def investments(*, user, limit: int = 100) -> QuerySet[Investment]:
    """The recent investments in the enterprises the user sees (the figures per chain count them all)."""
    visible = enterprises_visible_to(user, INVEST_VIEW).values("pk")
    qs = Investment.objects.filter(enterprise__in=visible).select_related("fund", "enterprise")
    return qs.order_by("-invested_on", "-id")[:limit]


def listed_firms(*, user) -> QuerySet[Enterprise]:
    visible = enterprises_visible_to(user, INVEST_VIEW).values("pk")
    qs = Enterprise.objects.filter(pk__in=Investment.objects.values("enterprise_id")).filter(pk__in=visible)
    return qs.exclude(listed_board="").order_by("name")
