"""API of supply-demand matching: the same services, scoping and matching as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut, decimal_field
from hongyin.common.permissions import get_or_404
from hongyin.enterprises.models import ChainNode, Enterprise

from . import selectors, services
from .engine import reason_text
from .models import PostKind, Visibility
from .permissions import (
    can_act_for_post,
    can_answer,
    can_record_deal,
    chains_for_figures,
    get_contact_for_user_or_404,
    get_post_for_user_or_404,
    other_post_for_user_or_404,
)

router = Router(tags=["matching"])
ROUTERS = {"/matching": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class SupplyPostOut(Schema):
    id: int
    kind: str
    kind_label: str
    chain_id: int
    node_id: int | None
    enterprise_id: int | None
    party_name: str
    title: str
    product: str
    description: str
    quantity: str
    budget_min: Decimal | None
    budget_max: Decimal | None
    deadline: date
    region: str
    visibility: str
    status: str
    expired: bool
    version: int
    created_at: datetime


class SupplyPostIn(Schema):
    kind: str = Field(description=", ".join(PostKind.values))
    node_id: int
    enterprise_id: int | None = None
    outside_name: str = Field("", max_length=120)
    title: str = Field(max_length=120)
    product: str = Field(max_length=200)
    description: str = Field("", max_length=5000)
    quantity: str = Field("", max_length=60)
    budget_min: Decimal | None = decimal_field(None, int_digits=10)
    budget_max: Decimal | None = decimal_field(None, int_digits=10)
    deadline: date
    region: str = Field("", max_length=60)
    visibility: str = Field(Visibility.CHAIN, description=", ".join(Visibility.values))


class MatchOut(Schema):
    kind: str
    post_id: int | None
    enterprise_id: int | None
    name: str
    score: float
    reasons: list[str]
    reason_codes: list[str]


class MatchVersionIn(Schema):
    version: int | None = Field(None, description="The version the client acted on; another is refused")


class ContactIn(Schema):
    other_post_id: int | None = None
    other_enterprise_id: int | None = None
    message: str = Field("", max_length=500)


class ContactOut(Schema):
    id: int
    post_id: int
    other_post_id: int | None
    from_enterprise_id: int | None
    to_enterprise_id: int | None
    status: str
    status_label: str
    message: str
    reply: str
    version: int
    created_at: datetime


class ContactAnswerIn(Schema):
    reply: str = Field("", max_length=300)
    version: int | None = None


class DealIn(Schema):
    amount: Decimal = decimal_field(int_digits=12)
    signed_on: date
    note: str = Field("", max_length=300)


class DealOut(Schema):
    id: int
    contact_id: int
    amount: Decimal
    signed_on: date
    is_local: bool


class MatchMonthOut(Schema):
    month: date
    posts: int
    matches: int
    contacts: int
    deals: int
    value: Decimal
    local_value: Decimal
    local_rate: float | None


class MatchFiguresOut(Schema):
    chain_ids: list[int]
    months: list[MatchMonthOut]
    total: MatchMonthOut


def _post(p) -> dict:
    return {
        **{f: getattr(p, f) for f in SupplyPostOut.model_fields if hasattr(p, f)},
        "kind_label": str(p.get_kind_display()),
        "party_name": p.party_name,
    }


def _contact(c) -> dict:
    return {
        **{f: getattr(c, f) for f in ContactOut.model_fields if hasattr(c, f)},
        "status_label": str(c.get_status_display()),
    }


def _month(r) -> dict:
    return {
        "month": r.month,
        "posts": r.posts,
        "matches": r.matches,
        "contacts": r.contacts,
        "deals": r.deals,
        "value": r.value,
        "local_value": r.local_value,
        "local_rate": r.local_rate,
    }


@router.get("/posts", response={200: list[SupplyPostOut], **ERRORS}, summary="Posts the user may see")
@api_perm("matching.view")
def post_list(
    request, kind: str = "", chain_id: int | None = None, state: str = "", q: str = "", limit: int = 50, offset: int = 0
):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    filters = selectors.PostFilter(
        kind=kind if kind in PostKind.values else "",
        chain_id=chain_id,
        state=state if state in ("open", "expired", "withdrawn") else "",
        q=q.strip()[:60],
    )
    return [_post(p) for p in selectors.post_list(user=request.auth, filters=filters)[offset : offset + limit]]


@router.post("/posts", response={201: SupplyPostOut, **ERRORS}, summary="Publish a post (and find its matches)")
@api_perm("matching.post")
def post_create(request, payload: SupplyPostIn):
    data = payload.dict()
    node = get_or_404(lambda: ChainNode.objects.select_related("chain").get(pk=data.pop("node_id")))
    eid = data.pop("enterprise_id")
    enterprise = get_or_404(lambda: Enterprise.objects.get(pk=eid)) if eid else None
    post = services.post_create(actor=request.auth, chain=node.chain, node=node, enterprise=enterprise, **data)
    return 201, _post(post)


@router.get("/posts/{post_id}", response={200: SupplyPostOut, **ERRORS}, summary="One post")
@api_perm("matching.view")
def post_detail(request, post_id: int):
    return _post(get_post_for_user_or_404(request.auth, post_id))


@router.post("/posts/{post_id}/withdraw", response={200: SupplyPostOut, **ERRORS}, summary="Withdraw a post")
@api_perm("matching.post")
def post_withdraw(request, post_id: int, payload: MatchVersionIn):
    post = get_post_for_user_or_404(request.auth, post_id)
    if not can_act_for_post(request.auth, post):
        raise Http404
    return _post(services.post_withdraw(actor=request.auth, post=post, version=payload.version))


@router.get("/posts/{post_id}/matches", response={200: list[MatchOut], **ERRORS}, summary="The post's ten best matches")
@api_perm("matching.view")
def post_matches(request, post_id: int):
    post = get_post_for_user_or_404(request.auth, post_id)
    if not can_act_for_post(request.auth, post):
        raise Http404
    posts, firms = selectors.stored_matches(post)
    out = []
    for m in posts + firms:
        out.append(
            {
                "kind": "post" if m.other_post_id else "enterprise",
                "post_id": m.other_post_id,
                "enterprise_id": m.other_enterprise_id or (m.other_post.enterprise_id if m.other_post_id else None),
                "name": m.other_post.title if m.other_post_id else m.other_enterprise.name,
                "score": m.score,
                "reasons": [reason_text(r) for r in m.reasons],
                "reason_codes": [r.get("code", "") for r in m.reasons],
            }
        )
    return out


@router.post("/posts/{post_id}/contacts", response={201: ContactOut, **ERRORS}, summary="Contact a match")
@api_perm("matching.post")
def contact_create(request, post_id: int, payload: ContactIn):
    post = get_post_for_user_or_404(request.auth, post_id)
    if not can_act_for_post(request.auth, post):
        raise Http404
    other_post = other_post_for_user_or_404(request.auth, payload.other_post_id) if payload.other_post_id else None
    eid = payload.other_enterprise_id
    other_enterprise = get_or_404(lambda: Enterprise.objects.get(pk=eid)) if eid and not other_post else None
    contact = services.contact_request(
        actor=request.auth,
        post=post,
        other_post=other_post,
        other_enterprise=other_enterprise,
        message=payload.message,
    )
    return 201, _contact(contact)


@router.get("/contacts", response={200: list[ContactOut], **ERRORS}, summary="Contact requests of the user's side")
@api_perm("matching.view")
def contact_list(request, box: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    box = box if box in ("in", "out", "pending") else ""
    return [_contact(c) for c in selectors.contact_list(user=request.auth, box=box)[offset : offset + limit]]


@router.post("/contacts/{contact_id}/deals", response={201: DealOut, **ERRORS}, summary="Record a deal")
@api_perm("matching.view")
def deal_create(request, contact_id: int, payload: DealIn):
    contact = get_contact_for_user_or_404(request.auth, contact_id)
    if not can_record_deal(request.auth, contact):
        raise Http404
    deal = services.deal_record(
        actor=request.auth, contact=contact, amount=payload.amount, signed_on=payload.signed_on, note=payload.note
    )
    return 201, {
        "id": deal.pk,
        "contact_id": deal.contact_id,
        "amount": deal.amount,
        "signed_on": deal.signed_on,
        "is_local": deal.is_local,
    }


@router.post(
    "/contacts/{contact_id}/{action}", response={200: ContactOut, **ERRORS}, summary="accept or decline a request"
)
@api_perm("matching.view")
def contact_answer(request, contact_id: int, action: str, payload: ContactAnswerIn):
    contact = get_contact_for_user_or_404(request.auth, contact_id)
    if action not in ("accept", "decline") or not can_answer(request.auth, contact):
        raise Http404
    contact = services.contact_answer(
        actor=request.auth, contact=contact, accept=action == "accept", reply=payload.reply, version=payload.version
    )
    return _contact(contact)


@router.get(
    "/figures", response={200: MatchFiguresOut, **ERRORS}, summary="Per month: posts, matches, deals, local rate"
)
@api_perm("matching.figures")
def figures(request, chain_id: int | None = None):
    chain = None
    if chain_id:
        chain = get_or_404(lambda: chains_for_figures(request.auth).get(pk=chain_id))
    result = selectors.chain_figures(user=request.auth, chain=chain)
    return {
        "chain_ids": [c.pk for c in result.chains],
        "months": [_month(r) for r in result.months],
        "total": _month(result.total),
    }
