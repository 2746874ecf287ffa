"""API of red credit, partner offers and tickets, and investment: the same services, scoping and workflows as the
pages."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut, decimal_field
from hongyin.common.permissions import covers_whole_zone, get_or_404
from hongyin.directory.models import Partner
from hongyin.enterprises.models import Building, IndustryChain
from hongyin.orgs.permissions import orgs_visible_to

from . import selectors, services
from .models import CreditApplication, CreditProduct, Priority
from .permissions import (
    CREDIT_APPLY,
    CREDIT_FIGURES,
    can_answer,
    can_use_for,
    contact_enterprises,
    get_application_for_user_or_404,
    get_ticket_for_user_or_404,
    offers_visible_to,
)

router = Router(tags=["finance"])
ROUTERS = {"/finance": router}
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ProductOut(Schema):
    id: int
    institution_id: int
    institution: str
    name: str
    amount_cap: Decimal
    term_months: int
    rate_preference: Decimal
    conditions: str


class ApplicationOut(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise: str
    product_id: int
    institution_id: int
    org_id: int
    status: str
    status_label: str
    version: int
    amount: Decimal
    term_months: int
    purpose: str
    applied_on: date
    evidence: dict
    endorsement: str
    decision_due: date | None
    decline_reason: str
    approved_amount: Decimal | None
    approved_rate: Decimal | None
    approved_term_months: int | None
    rate_preference: Decimal | None
    refuse_reason: str
    disbursed_amount: Decimal | None
    disbursed_on: date | None
    repaid_on: date | None


class ApplyIn(Schema):
    product_id: int
    enterprise_id: int | None = Field(None, description="the contact's enterprise; needed when it has several")
    amount: Decimal = decimal_field(int_digits=14)
    term_months: int
    purpose: str = Field(max_length=300)


class CreditActionIn(Schema):
    note: str = Field("", max_length=500, description="endorsement note, or the reason of a decline / refusal")
    amount: Decimal | None = decimal_field(None, int_digits=14)
    rate: Decimal | None = decimal_field(None, int_digits=3)
    term_months: int | None = None
    on: date | None = None
    version: int | None = Field(None, description="The application's version the client acted on")


class CreditFiguresOut(Schema):
    org_id: int | None
    applications: int
    approvals: int
    amount_approved: Decimal
    amount_disbursed: Decimal
    firms_served: int
    avg_rate_preference: Decimal | None
    committees: list[dict]


class OfferOut(Schema):
    id: int
    partner_id: int
    partner: str
    title: str
    terms: str
    eligibility: str
    building_id: int | None
    chain_id: int | None
    valid_from: date
    valid_until: date
    is_withdrawn: bool


class OfferIn(Schema):
    partner_id: int
    title: str = Field(max_length=120)
    terms: str = Field(max_length=5000)
    eligibility: str = Field("", max_length=300)
    building_id: int | None = None
    chain_id: int | None = None
    valid_from: date
    valid_until: date


class TicketStepOut(Schema):
    kind: str
    due_on: date
    done_on: date
    on_time: bool
    note: str


class TicketOut(Schema):
    id: int
    number: str
    offer_id: int
    partner_id: int
    enterprise_id: int
    need: str
    status: str
    status_label: str
    version: int
    opened_on: date
    current_due: date | None
    savings: Decimal | None
    steps: list[TicketStepOut]


class TicketIn(Schema):
    offer_id: int
    need: str = Field(max_length=500)


class TicketActionIn(Schema):
    note: str = Field("", max_length=500)
    savings: Decimal | None = decimal_field(None, int_digits=14)
    version: int | None = None


def _app_out(a: CreditApplication) -> dict:
    return {
        **{f: getattr(a, f) for f in ApplicationOut.model_fields if hasattr(a, f)},
        "enterprise": a.enterprise.name,
        "status_label": str(a.get_status_display()),
    }


def _ticket_out(t) -> dict:
    return {
        **{f: getattr(t, f) for f in TicketOut.model_fields if hasattr(t, f) and f != "steps"},
        "status_label": str(t.get_status_display()),
        "steps": [
            {"kind": s.kind, "due_on": s.due_on, "done_on": s.done_on, "on_time": s.on_time, "note": s.note}
            for s in t.steps.all()
        ],
    }


@router.get("/credit/products", response={200: list[ProductOut], **ERRORS}, summary="Credit products on offer")
@api_perm("finance.credit_view")
def product_list(request):
    return [
        {
            **{f: getattr(p, f) for f in ProductOut.model_fields if hasattr(p, f) and f != "institution"},
            "institution": p.institution.name,
        }
        for p in selectors.products()
    ]


@router.get("/credit/applications", response={200: list[ApplicationOut], **ERRORS}, summary="Credit applications")
@api_perm("finance.credit_view")
def application_list(request, status: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return [_app_out(a) for a in selectors.application_list(user=request.auth, status=status)[offset : offset + limit]]


@router.post("/credit/applications", response={201: ApplicationOut, **ERRORS}, summary="Apply for a credit product")
@api_perm("finance.credit_apply")
def application_create(request, payload: ApplyIn):
    mine = contact_enterprises(request.auth, CREDIT_APPLY)
    enterprise = (
        get_or_404(lambda: mine.get(pk=payload.enterprise_id)) if payload.enterprise_id else mine.order_by("pk").first()
    )
    if enterprise is None:
        raise Http404
    product = get_or_404(lambda: CreditProduct.objects.select_related("institution").get(pk=payload.product_id))
    a = services.credit_apply(
        actor=request.auth,
        enterprise=enterprise,
        product=product,
        amount=payload.amount,
        term_months=payload.term_months,
        purpose=payload.purpose,
    )
    return 201, _app_out(a)


@router.get(
    "/credit/applications/{application_id}", response={200: ApplicationOut, **ERRORS}, summary="One application"
)
@api_perm("finance.credit_view")
def application_detail(request, application_id: int):
    return _app_out(get_application_for_user_or_404(request.auth, application_id))


CREDIT_ACTIONS = {
    "endorse": lambda u, a, p: services.credit_endorse(actor=u, application=a, note=p.note),
    "decline": lambda u, a, p: services.credit_decline(actor=u, application=a, reason=p.note),
    "approve": lambda u, a, p: services.credit_approve(
        actor=u, application=a, amount=p.amount, rate=p.rate, term_months=p.term_months
    ),
    "refuse": lambda u, a, p: services.credit_refuse(actor=u, application=a, reason=p.note),
    "disburse": lambda u, a, p: services.credit_disburse(actor=u, application=a, amount=p.amount, on=p.on),
    "overdue": lambda u, a, p: services.credit_overdue(actor=u, application=a, reason=p.note),
    "repay": lambda u, a, p: services.credit_repay(actor=u, application=a, on=p.on),
}


@router.post(
    "/credit/applications/{application_id}/{action}",
    response={200: ApplicationOut, **ERRORS},
    summary=f"One of: {', '.join(CREDIT_ACTIONS)}",
)
@api_perm("finance.credit_view")
def application_action(request, application_id: int, action: str, payload: CreditActionIn):
    a = get_application_for_user_or_404(request.auth, application_id)
    if action not in CREDIT_ACTIONS:
        raise Http404
    services.CREDIT_FLOW.expect_version(a, payload.version)
    return _app_out(CREDIT_ACTIONS[action](request.auth, a, payload))


@router.get(
    "/credit/figures", response={200: CreditFiguresOut, **ERRORS}, summary="Credit figures of the zone or a committee"
)
@api_perm("finance.credit_figures")
def credit_figures(request, org_id: int | None = None):
    user = request.auth
    if org_id:
        org = get_or_404(lambda: orgs_visible_to(user, CREDIT_FIGURES).get(pk=org_id))
    elif covers_whole_zone(user, CREDIT_FIGURES):
        org = None
    else:
        org = next(iter(selectors.figure_orgs(user)), None)
        if org is None:
            raise Http404
    base = selectors.committee_applications(org) if org else CreditApplication.objects.all()
    f = selectors.credit_figures(base)
    rows = selectors.credit_by_committee(base) if org is None else []
    return {
        "org_id": org.pk if org else None,
        **{k: getattr(f, k) for k in CreditFiguresOut.model_fields if hasattr(f, k)},
        "committees": [
            {
                "org_id": o.pk,
                "name": o.name,
                "applications": r.applications,
                "approvals": r.approvals,
                "amount_approved": str(r.amount_approved),
                "amount_disbursed": str(r.amount_disbursed),
                "firms_served": r.firms_served,
                "avg_rate_preference": str(r.avg_rate_preference) if r.avg_rate_preference is not None else None,
            }
            for o, r in rows
        ],
    }


def _offer_out(o) -> dict:
    return {
        **{f: getattr(o, f) for f in OfferOut.model_fields if hasattr(o, f) and f != "partner"},
        "partner": o.partner.name,
    }


@router.get("/offers", response={200: list[OfferOut], **ERRORS}, summary="Partner offers (current)")
@api_perm("finance.offers_view")
def offer_list(request):
    return [_offer_out(o) for o in selectors.offer_list(user=request.auth)[:200]]


@router.post("/offers", response={201: OfferOut, **ERRORS}, summary="Publish a partner offer")
@api_perm("finance.offers_publish")
def offer_create(request, payload: OfferIn):
    partner = get_or_404(lambda: Partner.objects.get(pk=payload.partner_id))
    building = get_or_404(lambda: Building.objects.get(pk=payload.building_id)) if payload.building_id else None
    chain = get_or_404(lambda: IndustryChain.objects.get(pk=payload.chain_id)) if payload.chain_id else None
    o = services.offer_publish(
        actor=request.auth,
        partner=partner,
        title=payload.title,
        terms=payload.terms,
        eligibility=payload.eligibility,
        building=building,
        chain=chain,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return 201, _offer_out(o)


@router.get("/tickets", response={200: list[TicketOut], **ERRORS}, summary="Four-priorities tickets")
@api_perm("finance.offers_view")
def ticket_list(request, status: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = selectors.ticket_list(user=request.auth, status=status).prefetch_related("steps")
    return [_ticket_out(t) for t in qs[offset : offset + limit]]


@router.post("/tickets", response={201: TicketOut, **ERRORS}, summary="Use an offer: open a four-priorities ticket")
@api_perm("finance.tickets_open")
def ticket_create(request, payload: TicketIn):
    offer = get_or_404(lambda: offers_visible_to(request.auth).get(pk=payload.offer_id))
    enterprise = contact_enterprises(request.auth).order_by("pk").first()
    if enterprise is None:
        raise Http404
    t = services.ticket_open(actor=request.auth, offer=offer, enterprise=enterprise, need=payload.need)
    return 201, _ticket_out(t)


@router.get("/tickets/{ticket_id}", response={200: TicketOut, **ERRORS}, summary="One ticket and its steps")
@api_perm("finance.offers_view")
def ticket_detail(request, ticket_id: int):
    return _ticket_out(get_ticket_for_user_or_404(request.auth, ticket_id))


@router.post(
    "/tickets/{ticket_id}/{action}",
    response={200: TicketOut, **ERRORS},
    summary="One of: contact, quotation, supply, after_sales (the partner), savings (the enterprise)",
)
@api_perm("finance.offers_view")
def ticket_action(request, ticket_id: int, action: str, payload: TicketActionIn):
    t = get_ticket_for_user_or_404(request.auth, ticket_id)
    if action == "savings":
        if not can_use_for(request.auth, t.enterprise):
            raise Http404
        return _ticket_out(services.ticket_declare_savings(actor=request.auth, ticket=t, amount=payload.savings))
    if action not in Priority.values or not can_answer(request.auth, t):
        raise Http404
    services.TICKET_FLOW.expect_version(t, payload.version)
    return _ticket_out(services.ticket_step(actor=request.auth, ticket=t, kind=action, note=payload.note))


@router.get("/investment", response={200: dict, **ERRORS}, summary="Funds and the investment figures per chain")
@api_perm("finance.invest_view")
def investment(request):
    return {
        "funds": [
            {"id": f.pk, "name": f.name, "size": str(f.size), "investments": f.n, "chain_id": f.chain_id}
            for f in selectors.funds()
        ],
        "chains": [
            {
                "chain_id": c.chain.pk,
                "chain": c.chain.name,
                "funds": c.funds,
                "fund_size": str(c.fund_size),
                "investments": c.investments,
                "amount": str(c.amount),
                "firms": c.firms,
                "incubated": c.incubated,
                "listed": c.listed,
            }
            for c in selectors.investment_by_chain()
        ],
    }
