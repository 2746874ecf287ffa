from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut

from . import selectors, services
from .models import ChainNode, EnterpriseLinkRequest, Floor, InnovationPlatform, LinkKind, PlatformKind, Unit
from .permissions import (
    chains_visible_to,
    get_building_for_user_or_404,
    get_chain_for_user_or_404,
    get_enterprise_for_user_or_404,
    get_link_request_for_user_or_404,
    link_requests_decidable_by,
    link_requests_visible_to,
)

router = Router(tags=["enterprises"])
ROUTERS = {"/enterprises": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    industry_code: str
    size_class: str
    employees: int
    party_status: str
    building_id: int | None
    grid_cell_id: int | None
    org_id: int | None


class EnterpriseDetailOut(EnterpriseOut):
    legal_representative: str
    founded_on: date | None
    tags: list[str]
    members_employed: int
    has_instructor: bool


class EnterpriseIn(Schema):
    uscc: str
    name: str
    legal_representative: str = ""
    founded_on: date | None = None
    industry_code: str = ""
    size_class: str = ""
    employees: int = 0
    tags: list[str] = []


class EnterprisePatch(Schema):
    name: str | None = None
    legal_representative: str | None = None
    industry_code: str | None = None
    size_class: str | None = None
    employees: int | None = None
    tags: list[str] | None = None


class EnterpriseFilters(Schema):
    q: str = ""
    industry: str = ""
    size: str = ""
    tag: str = ""
    party: str = ""
    building: int | None = None
    node: int | None = None
    cell: int | None = None
    limit: int = 50
    offset: int = 0


class PageOut(Schema):
    count: int
    items: list[EnterpriseOut]


def _detail(e) -> dict:
    facts = selectors.enterprise_facts(e)
    return {
        **{f: getattr(e, f) for f in ("id", "name", "uscc", "industry_code", "size_class", "employees")},
        "legal_representative": e.legal_representative,
        "founded_on": e.founded_on,
        "building_id": e.building_id,
        "grid_cell_id": e.grid_cell_id,
        "org_id": e.org_id,
        "party_status": facts.party_status,
        "tags": list(e.tags.values_list("name", flat=True)),
        "members_employed": facts.members_employed,
        "has_instructor": bool(facts.instructors),
    }


@router.get("/", response={200: PageOut, **ERRORS}, summary="Enterprises in scope, filtered")
@api_perm("enterprises.view")
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    data = filters.dict()
    limit, offset = max(1, min(data.pop("limit"), 500)), max(0, data.pop("offset"))
    form = selectors.EnterpriseFilterForm({k: v for k, v in data.items() if v not in (None, "")})
    qs = selectors.enterprise_list(user=request.auth, form=form)
    return {"count": qs.count(), "items": list(qs[offset : offset + limit])}


@router.get("/{enterprise_id}", response={200: EnterpriseDetailOut, **ERRORS}, summary="One enterprise")
@api_perm("enterprises.view")
def get_enterprise(request, enterprise_id: int):
    e = get_enterprise_for_user_or_404(request.auth, enterprise_id)
    return _detail(type(e).objects.select_related("org").get(pk=e.pk))


@router.post("/", response={201: EnterpriseDetailOut, **ERRORS}, summary="Register an enterprise")
@api_perm("enterprises.manage")
def create_enterprise(request, payload: EnterpriseIn):
    data = payload.dict()
    e = services.enterprise_create(actor=request.auth, **data)
    return 201, _detail(e)


@router.patch("/{enterprise_id}", response={200: EnterpriseDetailOut, **ERRORS}, summary="Change an enterprise")
@api_perm("enterprises.manage")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    e = get_enterprise_for_user_or_404(request.auth, enterprise_id, "enterprises.manage")
    changes = {k: v for k, v in payload.dict().items() if v is not None}
    tags = changes.pop("tags", None)
    e = services.enterprise_update(actor=request.auth, enterprise=e, tags=tags, **changes)
    return _detail(e)


class BuildingOut(Schema):
    id: int
    name: str
    floors_above: int
    floors_below: int
    leasable_area: float
    vacant_area: float
    vacancy_rate: float | None
    annual_tax: float
    tier: str
    enterprise_count: int


def _building(b) -> dict:
    tier, _label = selectors.tier_of(b.annual_tax)
    return {
        "id": b.pk,
        "name": b.name,
        "floors_above": b.floors_above,
        "floors_below": b.floors_below,
        "leasable_area": float(b.leasable_area),
        "vacant_area": float(b.vacant_area),
        "vacancy_rate": selectors.vacancy_rate(b),
        "annual_tax": float(b.annual_tax),
        "tier": tier,
        "enterprise_count": b.enterprise_count,
    }


@router.get("/buildings/", response={200: list[BuildingOut], **ERRORS}, summary="Buildings with vacancy and tier")
@api_perm("buildings.view")
def list_buildings(request):
    return [_building(b) for b in selectors.buildings_with_figures(request.auth)]


@router.get("/buildings/{building_id}", response={200: BuildingOut, **ERRORS}, summary="One building")
@api_perm("buildings.view")
def get_building(request, building_id: int):
    get_building_for_user_or_404(request.auth, building_id)
    return _building(selectors.buildings_with_figures(request.auth).get(pk=building_id))


class FloorIn(Schema):
    number: int


class UnitIn(Schema):
    number: str
    area: float
    leasable: bool = True


class LeaseIn(Schema):
    enterprise_id: int
    start_on: date
    end_on: date | None = None


class IdOut(Schema):
    id: int


@router.post("/buildings/{building_id}/floors", response={201: IdOut, **ERRORS}, summary="Add a floor")
@api_perm("buildings.manage")
def add_floor(request, building_id: int, payload: FloorIn):
    building = get_building_for_user_or_404(request.auth, building_id, "buildings.manage")
    return 201, {"id": services.floor_create(actor=request.auth, building=building, number=payload.number).pk}


@router.post("/floors/{floor_id}/units", response={201: IdOut, **ERRORS}, summary="Add a unit")
@api_perm("buildings.manage")
def add_unit(request, floor_id: int, payload: UnitIn):
    floor = get_object_or_404(Floor.objects.select_related("building"), pk=floor_id)
    get_building_for_user_or_404(request.auth, floor.building_id, "buildings.manage")
    unit = services.unit_create(actor=request.auth, floor=floor, **payload.dict())
    return 201, {"id": unit.pk}


@router.post("/units/{unit_id}/leases", response={201: IdOut, **ERRORS}, summary="Lease a unit")
@api_perm("buildings.manage")
def add_lease(request, unit_id: int, payload: LeaseIn):
    unit = get_object_or_404(Unit.objects.select_related("floor__building"), pk=unit_id)
    get_building_for_user_or_404(request.auth, unit.floor.building_id, "buildings.manage")
    enterprise = get_enterprise_for_user_or_404(request.auth, payload.enterprise_id)
    lease = services.lease_create(
        actor=request.auth, unit=unit, enterprise=enterprise, start_on=payload.start_on, end_on=payload.end_on
    )
    return 201, {"id": lease.pk}


class NodeOut(Schema):
    id: int
    name: str
    segment: str
    depth: int
    enterprises: int
    leads: int
    gap: bool


class ChainOut(Schema):
    id: int
    name: str
    enterprise_count: int
    nodes: list[NodeOut]


@router.get("/chains/", response={200: list[IdOut], **ERRORS}, summary="Industry chains")
@api_perm("chains.view")
def list_chains(request):
    return list(chains_visible_to(request.auth))


@router.get("/chains/{chain_id}", response={200: ChainOut, **ERRORS}, summary="Chain map with counts and gaps")
@api_perm("chains.view")
def get_chain(request, chain_id: int):
    chain = get_chain_for_user_or_404(request.auth, chain_id)
    data = selectors.chain_map(chain)
    return {
        "id": chain.pk,
        "name": chain.name,
        "enterprise_count": data["enterprise_count"],
        "nodes": [
            {
                "id": n.pk,
                "name": n.name,
                "segment": n.segment,
                "depth": n.depth,
                "enterprises": n.total,
                "leads": n.leads,
                "gap": n.total == 0,
            }
            for n in data["nodes"]
        ],
    }


class PlatformOut(Schema):
    id: int
    chain_id: int
    name: str
    kind: str
    node_id: int | None
    enterprise_id: int | None


class PlatformIn(Schema):
    name: str
    kind: PlatformKind
    node_id: int | None = None
    enterprise_id: int | None = None


class PlatformPatch(Schema):
    name: str | None = None
    kind: PlatformKind | None = None
    node_id: int | None = None
    enterprise_id: int | None = None


def _platform(p) -> dict:
    return {f: getattr(p, f) for f in ("id", "chain_id", "name", "kind", "node_id", "enterprise_id")}


def _platform_refs(request, data: dict) -> dict:
    """node_id / enterprise_id of a payload as objects; an explicit null clears them. A node of another chain is
    passed on so that the service refuses it (422); the enterprise must be one the caller may see."""
    refs = {}
    if "node_id" in data:
        node_id = data.pop("node_id")
        refs["node"] = None if node_id is None else get_object_or_404(ChainNode, pk=node_id)
    if "enterprise_id" in data:
        enterprise_id = data.pop("enterprise_id")
        refs["enterprise"] = (
            None if enterprise_id is None else get_enterprise_for_user_or_404(request.auth, enterprise_id)
        )
    if data.get("kind") is not None:
        data["kind"] = PlatformKind(data["kind"]).value
    return {**data, **refs}


@router.post("/chains/{chain_id}/platforms", response={201: PlatformOut, **ERRORS}, summary="Add a platform")
@api_perm("chains.manage")
def add_platform(request, chain_id: int, payload: PlatformIn):
    chain = get_chain_for_user_or_404(request.auth, chain_id, "chains.manage")
    platform = services.platform_create(actor=request.auth, chain=chain, **_platform_refs(request, payload.dict()))
    return 201, _platform(platform)


@router.patch(
    "/chains/{chain_id}/platforms/{platform_id}", response={200: PlatformOut, **ERRORS}, summary="Change a platform"
)
@api_perm("chains.manage")
def update_platform(request, chain_id: int, platform_id: int, payload: PlatformPatch):
    chain = get_chain_for_user_or_404(request.auth, chain_id, "chains.manage")
    platform = get_object_or_404(InnovationPlatform.objects.select_related("chain"), chain=chain, pk=platform_id)
    changes = _platform_refs(request, payload.dict(exclude_unset=True))
    return _platform(services.platform_update(actor=request.auth, platform=platform, **changes))


@router.delete(
    "/chains/{chain_id}/platforms/{platform_id}", response={204: None, **ERRORS}, summary="Remove a platform"
)
@api_perm("chains.manage")
def delete_platform(request, chain_id: int, platform_id: int):
    chain = get_chain_for_user_or_404(request.auth, chain_id, "chains.manage")
    platform = get_object_or_404(InnovationPlatform.objects.select_related("chain"), chain=chain, pk=platform_id)
    services.platform_delete(actor=request.auth, platform=platform)
    return 204, None


# --- linking an enterprise outside the caller's scope: requests -------------------------------------------------


class LinkIn(Schema):
    kind: LinkKind
    uscc: str
    node_id: int | None = None
    is_lead: bool = False
    unit_id: int | None = None
    start_on: date | None = None
    end_on: date | None = None


class LinkOut(Schema):
    result: str  # linked | requested
    message: str


class LinkRequestOut(Schema):
    id: int
    kind: str
    uscc: str
    status: str
    node_id: int | None
    is_lead: bool
    unit_id: int | None
    start_on: date | None
    end_on: date | None
    decided_at: datetime | None
    reason: str
    enterprise_id: int | None  # only for those who decide
    enterprise_name: str


class LinkDecideIn(Schema):
    approve: bool
    reason: str = ""


def _link_request(r: EnterpriseLinkRequest, decides: bool) -> dict:
    fields = ("id", "kind", "uscc", "status", "node_id", "is_lead", "unit_id", "start_on", "end_on", "decided_at")
    out = {f: getattr(r, f) for f in fields}
    out["reason"] = r.reason
    out["enterprise_id"] = r.enterprise_id if decides else None
    out["enterprise_name"] = r.enterprise.name if decides and r.enterprise else ""
    return out


@router.post("/link-requests/", response={200: LinkOut, **ERRORS}, summary="Link an enterprise by its USCC")
@api_perm("enterprises.manage")
def link_enterprise(request, payload: LinkIn):
    """Linked at once when the caller already sees the enterprise; otherwise (unknown codes too) a request."""
    if payload.kind == LinkKind.CHAIN:
        node = get_object_or_404(ChainNode.objects.select_related("chain"), pk=payload.node_id or 0)
        result = services.chain_enterprise_link(
            actor=request.auth, node=node, uscc=payload.uscc, is_lead=payload.is_lead
        )
    else:
        unit = get_object_or_404(Unit.objects.select_related("floor__building"), pk=payload.unit_id or 0)
        get_building_for_user_or_404(request.auth, unit.floor.building_id, "buildings.manage")
        result = services.lease_link(
            actor=request.auth, unit=unit, uscc=payload.uscc, start_on=payload.start_on, end_on=payload.end_on
        )
    if isinstance(result, EnterpriseLinkRequest):
        return {"result": "requested", "message": services.link_requested_message()}
    return {"result": "linked", "message": ""}


@router.get(
    "/link-requests/", response={200: list[LinkRequestOut], **ERRORS}, summary="Own and decidable link requests"
)
@api_perm("enterprises.manage")
def list_link_requests(request, status: str = "", limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    decidable = set(link_requests_decidable_by(request.auth).values_list("pk", flat=True))
    qs = link_requests_visible_to(request.auth).select_related("enterprise").order_by("-id")
    if status:
        qs = qs.filter(status=status)
    return [_link_request(r, r.pk in decidable) for r in qs[max(offset, 0) : max(offset, 0) + limit]]


@router.post(
    "/link-requests/{request_id}/decide", response={200: LinkRequestOut, **ERRORS}, summary="Approve or refuse"
)
@api_perm("enterprises.manage")
def decide_link_request(request, request_id: int, payload: LinkDecideIn):
    link_request = get_link_request_for_user_or_404(request.auth, request_id)
    decided = services.link_request_decide(
        actor=request.auth, link_request=link_request, approve=payload.approve, reason=payload.reason
    )
    return _link_request(decided, True)
