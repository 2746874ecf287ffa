from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.common.errors import DomainError
from hongyin.common.fields import mask_id_number, mask_name, mask_phone
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import services
from .permissions import can_view_personal_data, get_member_for_user_or_404
from .selectors import AGE_BANDS, SORTS, MemberFilter, member_list, timeline

router = Router(tags=["members"])
ROUTERS = {"/members": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    id_number_masked: str
    phone_masked: str
    education: str
    category: str
    status: str
    joined_on: date
    full_member_on: date | None
    registered_on: date | None
    org_id: int
    org_name: str
    employer_name: str
    job_title: str
    is_floating: bool
    floating_place: str
    left_on: date | None
    leave_reason: str


class MemberPageOut(Schema):
    count: int
    items: list[MemberOut]


class TimelineOut(Schema):
    on: date
    kind: str
    summary: str
    actor: str
    source: str


class MemberDetailOut(MemberOut):
    timeline: list[TimelineOut]


class MemberFilters(Schema):
    q: str = ""
    org: int | None = None
    category: str = ""
    status: str = ""
    education: str = ""
    age: str = ""
    joined_year: int | None = Field(None, ge=1900, le=2100)
    include_left: bool = False
    sort: str = "org"
    limit: int = 50
    offset: int = 0


class MemberIn(Schema):
    org_id: int
    name: str
    id_number: str
    gender: str | None = None
    birth_date: date | None = None
    joined_on: date
    ethnicity: str = "汉族"
    phone: str = ""
    education: str = ""
    category: str = ""
    status: str = ""
    full_member_on: date | None = None
    registered_on: date | None = None
    employer_name: str = ""
    job_title: str = ""
    is_floating: bool = False
    floating_place: str = ""


class MemberPatch(Schema):
    """The member's own fields. Status, joining and full-membership dates and the organization change only through
    their workflows (development, transfers, leaving); naming them is refused (422), not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    id_number: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    ethnicity: str | None = None
    phone: str | None = None
    education: str | None = None
    category: str | None = None
    employer_name: str | None = None
    job_title: str | None = None
    is_floating: bool | None = None
    floating_place: str | None = None


class MemberMoveIn(Schema):
    to_org_id: int
    reason: str


class LeaveIn(Schema):
    left_on: date
    reason: str
    note: str = ""


class ImportStartOut(Schema):
    job_id: int
    status: str


class ImportErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportOut(Schema):
    job_id: int
    status: str
    message: str
    total: int | None = None
    valid: int | None = None
    created: int | None = None
    error_count: int | None = None
    dry_run: bool | None = None
    errors: list[ImportErrorOut] = []


def _out(m, names: bool) -> dict:
    return {
        "id": m.pk,
        "name": m.name if names else mask_name(m.name),
        "gender": m.gender,
        "ethnicity": m.ethnicity,
        "birth_date": m.birth_date,
        "id_number_masked": mask_id_number(m.id_number),
        "phone_masked": mask_phone(m.phone),
        "education": m.education,
        "category": m.category,
        "status": m.status,
        "joined_on": m.joined_on,
        "full_member_on": m.full_member_on,
        "registered_on": m.registered_on,
        "org_id": m.org_id,
        "org_name": m.org.name,
        "employer_name": m.employer_name,
        "job_title": m.job_title,
        "is_floating": m.is_floating,
        "floating_place": m.floating_place,
        "left_on": m.left_on,
        "leave_reason": m.leave_reason,
    }


@router.get(
    "", response={200: MemberPageOut, **ERRORS}, summary="Members in scope, filtered (name, pinyin or initials)"
)
@api_perm("members.view")
def list_members(request, filters: Query[MemberFilters]):
    if filters.age and filters.age not in AGE_BANDS:
        raise DomainError(_("年龄段不正确。"), field="age")
    if filters.sort not in SORTS:
        raise DomainError(_("排序字段不正确。"), field="sort")
    if not 1 <= filters.limit <= 500 or filters.offset < 0:
        raise DomainError(_("limit 应为 1 至 500，offset 不能为负。"), field="limit")
    org = get_org_for_user_or_404(request.auth, filters.org, perm="members.view") if filters.org else None
    qs = member_list(
        request.auth,
        MemberFilter(
            q=filters.q[:40],
            org=org,
            category=filters.category,
            status=filters.status,
            education=filters.education,
            age=filters.age,
            joined_year=filters.joined_year,
            include_left=filters.include_left,
            sort=filters.sort,
        ),
    )
    names = can_view_personal_data(request.auth)
    page = qs.defer(None)[filters.offset : filters.offset + filters.limit]  # masked ID and phone are returned
    items = [_out(m, names) for m in page]
    return {"count": qs.count(), "items": items}


@router.post("/import", response={202: ImportStartOut, **ERRORS}, summary="Upload a roster (xlsx); runs as a job")
@api_perm("members.manage")
def import_start(request, file: File[UploadedFile], kind: Form[str] = "members", dry_run: Form[bool] = True):
    """The older address of POST /api/v1/imports (kind members or orgs), on the same upload service."""
    from hongyin.imports.services import import_upload

    if kind not in ("members", "orgs"):
        raise DomainError(_("kind 应为 members 或 orgs。"), field="kind")
    job = import_upload(actor=request.auth, kind=kind, upload=file, dry_run=dry_run)
    return 202, {"job_id": job.pk, "status": job.status}


@router.get("/import/{job_id}", response={200: ImportOut, **ERRORS}, summary="Result of a roster import job")
@api_perm("members.manage")
def import_result(request, job_id: int):
    """The older address of GET /api/v1/imports/jobs/{job_id}."""
    from hongyin.imports.services import import_jobs
    from hongyin.jobs.services import job_read_json

    job = get_object_or_404(import_jobs(request.auth), pk=job_id)
    out = {"job_id": job.pk, "status": job.status, "message": job.message}
    summary = job_read_json(job, "result.json") if job.finished else None
    if summary is not None:
        out.update({k: summary.get(k) for k in ("total", "valid", "created", "error_count", "dry_run")})
        out["errors"] = summary.get("errors", [])
    return out


@router.get("/{member_id}", response={200: MemberDetailOut, **ERRORS}, summary="One member with the timeline")
@api_perm("members.view")
def detail(request, member_id: int):
    m = get_member_for_user_or_404(request.auth, member_id)
    return {**_out(m, can_view_personal_data(request.auth)), "timeline": timeline(m)}


@router.post("", response={201: MemberOut, **ERRORS}, summary="Register a member")
@api_perm("members.manage")
def create(request, payload: MemberIn):
    org = get_org_for_user_or_404(request.auth, payload.org_id, perm="members.manage")
    m = services.member_create(actor=request.auth, org=org, **payload.dict(exclude={"org_id"}))
    return 201, _out(m, True)


@router.patch("/{member_id}", response={200: MemberOut, **ERRORS}, summary="Update a member's own fields")
@api_perm("members.manage")
def update(request, member_id: int, payload: MemberPatch):
    m = get_member_for_user_or_404(request.auth, member_id, perm="members.manage")
    m = services.member_update(actor=request.auth, member=m, **payload.dict(exclude_unset=True))
    return _out(m, True)


@router.post("/{member_id}/move", response={200: MemberOut, **ERRORS}, summary="Move within the platform")
@api_perm("members.manage")
def move(request, member_id: int, payload: MemberMoveIn):
    m = get_member_for_user_or_404(request.auth, member_id, perm="members.manage")
    org = get_org_for_user_or_404(request.auth, payload.to_org_id, perm="members.manage")
    return _out(services.member_move(actor=request.auth, member=m, to_org=org, reason=payload.reason), True)


@router.post("/{member_id}/leave", response={200: MemberOut, **ERRORS}, summary="Record that a member left")
@api_perm("members.manage")
def leave(request, member_id: int, payload: LeaveIn):
    m = get_member_for_user_or_404(request.auth, member_id, perm="members.manage")
    m = services.member_leave(
        actor=request.auth, member=m, left_on=payload.left_on, reason=payload.reason, note=payload.note
    )
    return _out(m, True)
