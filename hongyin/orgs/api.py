from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut

from . import extensions, services
from .models import CommitteePost, Organization
from .permissions import get_org_for_user_or_404, orgs_visible_to
from .rules import org_checks
from .selectors import children_for, member_counts_by_child, org_growth, org_stats, tree_roots_for

router = Router(tags=["orgs"])
ROUTERS = {"/orgs": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    category: str
    depth: int
    child_count: int


class ChildOut(OrgOut):
    member_count: int


class CheckOut(Schema):
    level: str
    message: str


class PostOut(Schema):
    id: int
    post: str
    member_id: int
    member_name: str
    from_on: date
    to_on: date | None


class OrgDetailOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    category: str
    depth: int
    parent_id: int | None
    founded_on: date | None
    dissolved_on: date | None
    approved_by: str
    covered_units: list[str]
    is_village_community: bool
    term_started_on: date | None
    term_ends_on: date | None
    term_state: str
    checks: list[CheckOut]
    committee: list[PostOut]


class OrgIn(Schema):
    parent_id: int
    name: str
    kind: str
    category: str
    short_name: str = ""
    code: str = ""
    founded_on: date | None = None
    approved_by: str = ""
    covered_units: list[str] = []
    is_village_community: bool = False


class OrgPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    code: str | None = None
    category: str | None = None
    founded_on: date | None = None
    approved_by: str | None = None
    covered_units: list[str] | None = None
    is_village_community: bool | None = None
    term_years: int | None = None


class OrgMoveIn(Schema):
    new_parent_id: int
    reason: str = ""


class MergeIn(Schema):
    target_id: int
    reason: str = ""


class DissolveIn(Schema):
    on: date | None = None
    reason: str = ""


class PostIn(Schema):
    member_id: int
    post: str
    from_on: date | None = None


class TermIn(Schema):
    started_on: date
    years: int | None = None


class CountOut(Schema):
    key: str
    count: int


class MonthOut(Schema):
    month: str
    organizations: int
    members: int


class StatsOut(Schema):
    organizations: int
    members: int
    orgs_by_kind: list[CountOut]
    orgs_by_category: list[CountOut]
    members_by_category: list[CountOut]
    members_by_status: list[CountOut]
    members_by_gender: list[CountOut]
    members_by_age: list[CountOut]
    members_by_education: list[CountOut]
    members_by_ethnicity: list[CountOut]
    members_by_joined_year: list[CountOut]
    growth: list[MonthOut]


def _two(user, a: int, b: int):
    """Two organizations in the user's manage scope, in one query (404 if either is not)."""
    found = {o.pk: o for o in orgs_visible_to(user, "orgs.manage").filter(pk__in=[a, b])}
    if a not in found or b not in found:
        raise Http404
    return found[a], found[b]


def _detail(org) -> dict:
    parent = Organization.objects.get_parent(org) if org.depth > 1 else None
    posts = CommitteePost.objects.filter(org=org, to_on__isnull=True).select_related("member")
    return {
        **{
            f: getattr(org, f)
            for f in (
                "id",
                "name",
                "short_name",
                "code",
                "kind",
                "category",
                "depth",
                "founded_on",
                "dissolved_on",
                "approved_by",
                "covered_units",
                "is_village_community",
                "term_started_on",
                "term_ends_on",
            )
        },
        "parent_id": parent.pk if parent else None,
        "term_state": org.term_state(),
        "checks": [{"level": c.level, "message": c.message} for c in org_checks(org)],
        "committee": [
            {
                "id": p.pk,
                "post": p.post,
                "member_id": p.member_id,
                "member_name": p.member.name,
                "from_on": p.from_on,
                "to_on": p.to_on,
            }
            for p in posts
        ],
    }


@router.get("/roots", response={200: list[OrgOut], **ERRORS}, summary="Top organizations of the user's scope")
@api_perm("orgs.view")
def roots(request):
    return list(tree_roots_for(request.auth))


@router.get("/{org_id}/children", response={200: list[ChildOut], **ERRORS}, summary="Direct children in scope")
@api_perm("orgs.view")
def children(request, org_id: int):
    parent = get_org_for_user_or_404(request.auth, org_id)
    nodes = list(children_for(request.auth, parent))
    counts = member_counts_by_child(parent, nodes)
    for n in nodes:
        n.member_count = counts.get(n.pk, 0)
    return nodes


@router.get("/{org_id}", response={200: OrgDetailOut, **ERRORS}, summary="One organization with committee and checks")
@api_perm("orgs.view")
def detail(request, org_id: int):
    return _detail(get_org_for_user_or_404(request.auth, org_id))


@router.post("", response={201: OrgDetailOut, **ERRORS}, summary="Create an organization under a parent")
@api_perm("orgs.manage")
def create(request, payload: OrgIn):
    parent = get_org_for_user_or_404(request.auth, payload.parent_id, perm="orgs.manage")
    data = payload.dict(exclude={"parent_id"})
    org = services.org_create(actor=request.auth, parent=parent, **data)
    return 201, _detail(org)


@router.patch("/{org_id}", response={200: OrgDetailOut, **ERRORS}, summary="Update or rename an organization")
@api_perm("orgs.manage")
def update(request, org_id: int, payload: OrgPatch):
    org = get_org_for_user_or_404(request.auth, org_id, perm="orgs.manage")
    org = services.org_update(actor=request.auth, org=org, **payload.dict(exclude_unset=True))
    return _detail(org)


@router.post("/{org_id}/move", response={200: OrgDetailOut, **ERRORS}, summary="Move a subtree under another parent")
@api_perm("orgs.manage")
def move(request, org_id: int, payload: OrgMoveIn):
    org, target = _two(request.auth, org_id, payload.new_parent_id)
    return _detail(services.org_move(actor=request.auth, org=org, new_parent=target, reason=payload.reason))


@router.post("/{org_id}/merge", response={200: OrgDetailOut, **ERRORS}, summary="Merge into another organization")
@api_perm("orgs.manage")
def merge(request, org_id: int, payload: MergeIn):
    org, target = _two(request.auth, org_id, payload.target_id)
    return _detail(services.org_merge(actor=request.auth, source=org, target=target, reason=payload.reason))


@router.post("/{org_id}/dissolve", response={200: OrgDetailOut, **ERRORS}, summary="Dissolve (refused with members)")
@api_perm("orgs.manage")
def dissolve(request, org_id: int, payload: DissolveIn):
    org = get_org_for_user_or_404(request.auth, org_id, perm="orgs.manage")
    return _detail(services.org_dissolve(actor=request.auth, org=org, on=payload.on, reason=payload.reason))


@router.post("/{org_id}/posts", response={201: PostOut, **ERRORS}, summary="Give a member a committee post")
@api_perm("orgs.manage")
def post_add(request, org_id: int, payload: PostIn):
    org = get_org_for_user_or_404(request.auth, org_id, perm="orgs.manage")
    member = extensions.member_for_user(request.auth, payload.member_id)
    p = services.committee_assign(
        actor=request.auth, org=org, member=member, post=payload.post, from_on=payload.from_on
    )
    return 201, {
        "id": p.pk,
        "post": p.post,
        "member_id": member.pk,
        "member_name": member.name,
        "from_on": p.from_on,
        "to_on": None,
    }


@router.post("/posts/{post_id}/end", response={200: PostOut, **ERRORS}, summary="End a committee post")
@api_perm("orgs.manage")
def post_end(request, post_id: int):
    post = get_object_or_404(CommitteePost.objects.select_related("member"), pk=post_id)
    get_org_for_user_or_404(request.auth, post.org_id, perm="orgs.manage")
    p = services.committee_end(actor=request.auth, post=post)
    return {
        "id": p.pk,
        "post": p.post,
        "member_id": p.member_id,
        "member_name": p.member.name,
        "from_on": p.from_on,
        "to_on": p.to_on,
    }


@router.post("/{org_id}/term", response={200: OrgDetailOut, **ERRORS}, summary="Record an election (new term)")
@api_perm("orgs.manage")
def term(request, org_id: int, payload: TermIn):
    org = get_org_for_user_or_404(request.auth, org_id, perm="orgs.manage")
    return _detail(services.term_start(actor=request.auth, org=org, started_on=payload.started_on, years=payload.years))


@router.get("/{org_id}/stats", response={200: StatsOut, **ERRORS}, summary="Statistics of a subtree (§7)")
@api_perm("members.view")
def stats(request, org_id: int, start: date | None = None, end: date | None = None):
    org = get_org_for_user_or_404(request.auth, org_id)
    end = end or date.today()
    start = (start or org.founded_on or date(2021, 1, 1)).replace(day=1)
    if start > end:
        start = end.replace(day=1)
    m, members = extensions.member_figures(request.auth, org, start, end)
    o = org_stats(request.auth, org)
    orgs = dict(org_growth(request.auth, org, start, end))

    def pairs(d):
        return [{"key": str(k), "count": v} for k, v in d.items()]

    return {
        "organizations": o["total"],
        "members": m["total"],
        "orgs_by_kind": pairs(o["kind"]),
        "orgs_by_category": pairs(o["category"]),
        "members_by_category": pairs(m["category"]),
        "members_by_status": pairs(m["status"]),
        "members_by_gender": pairs(m["gender"]),
        "members_by_age": pairs(m["age"]),
        "members_by_education": pairs(m["education"]),
        "members_by_ethnicity": pairs(m["ethnicity"]),
        "members_by_joined_year": pairs(m["joined_year"]),
        "growth": [{"month": k, "members": v, "organizations": orgs.get(k, 0)} for k, v in members],
    }
