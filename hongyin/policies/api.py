from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.appeals.permissions import enterprises_in_scope

from . import selectors, services
from .matching import policies_for_enterprise, qualifying_enterprises
from .models import Policy

router = Router(tags=["policies"])
ROUTERS = {"/policies": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class PolicyOut(Schema):
    id: int
    title: str
    issuer: str
    doc_number: str
    issued_on: date | None
    effective_to: date | None
    benefits: str


class FitOut(Schema):
    policy: PolicyOut
    matched: int
    relevance: float
    reasons: list[str]


class EnterpriseRef(Schema):
    id: int
    name: str


class PushIn(Schema):
    enterprise_ids: list[int]


class PushOut(Schema):
    pushed: int


@router.get("/", response={200: list[PolicyOut], **ERRORS}, summary="The policy library")
@api_perm("policies.view")
def list_policies(request, q: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return list(selectors.policy_list(q=q[:50])[offset : offset + limit])


@router.get("/pushed", response={200: list[PolicyOut], **ERRORS}, summary="Policies pushed to my enterprise")
@api_perm("policies.view")
def pushed(request):
    return [p.policy for p in selectors.pushes_for_user(request.auth)[:100]]


@router.get("/for-enterprise/{enterprise_id}", response={200: list[FitOut], **ERRORS}, summary="Policies that fit")
@api_perm("policies.view")
def for_enterprise(request, enterprise_id: int, limit: int = 20):
    e = enterprises_in_scope(request.auth, "policies.view").filter(pk=enterprise_id).select_related("grid_cell").first()
    if e is None:
        raise Http404
    return [
        {"policy": c.policy, "matched": c.matched, "relevance": c.relevance, "reasons": c.reasons}
        for c in policies_for_enterprise(e, limit=max(1, min(limit, 100)))
    ]


@router.get("/{policy_id}/qualifying", response={200: list[EnterpriseRef], **ERRORS}, summary="Qualifying enterprises")
@api_perm("policies.push")
def qualifying(request, policy_id: int, limit: int = 200):
    policy = get_object_or_404(Policy, pk=policy_id)
    qs = qualifying_enterprises(policy, enterprises_in_scope(request.auth, "policies.push")).order_by("name")
    return list(qs.values("id", "name")[: max(1, min(limit, 2000))])


@router.post("/{policy_id}/push", response={200: PushOut, **ERRORS}, summary="Push to chosen enterprises")
@api_perm("policies.push")
def push(request, policy_id: int, payload: PushIn):
    policy = get_object_or_404(Policy, pk=policy_id)
    return {"pushed": services.policy_push(actor=request.auth, policy=policy, enterprise_ids=payload.enterprise_ids)}
