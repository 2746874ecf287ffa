"""API of organizational life: the same services, scoping and workflow as the pages."""

from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import AttendanceState, MeetingKind, MeetingStatus
from .periods import check_range, parse_month
from .permissions import can_approve, can_manage, get_meeting_for_user_or_404

router = Router(tags=["orglife"])
ROUTERS = {"/orglife": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class MeetingOut(Schema):
    id: int
    org_id: int
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    version: int
    planned_on: date | None
    held_on: date | None
    place: str
    presenter: str
    recorder: str
    invitees: str
    topics: str
    minutes: str
    resolutions: str
    return_reason: str
    expected: int
    present: int
    voting_expected: int
    voting_present: int
    below_quorum: bool
    submitted_at: datetime | None
    approved_at: datetime | None


class AttendanceOut(Schema):
    member_id: int
    member_name: str
    state: str
    state_label: str
    voting: bool


class AttendanceMark(Schema):
    member_id: int
    state: AttendanceState


def _attendance(given: list | None) -> dict[int, str] | None:
    """The marks as the services take them: member id -> state (a member marked twice keeps the last mark)."""
    return None if given is None else {mark["member_id"]: str(mark["state"]) for mark in given}


class MeetingIn(Schema):
    org_id: int
    kind: str = Field(description=", ".join(MeetingKind.values))
    title: str = Field(max_length=120)
    planned_on: date | None = None
    held_on: date | None = None
    place: str = Field("", max_length=120)
    presenter: str = Field("", max_length=40)
    recorder: str = Field("", max_length=40)
    invitees: str = Field("", max_length=300)
    topics: str = Field("", max_length=20000)
    minutes: str = Field("", max_length=20000)
    resolutions: str = Field("", max_length=20000)
    attendance: list[AttendanceMark] | None = Field(
        None, description="one mark per member; unmarked members are absent"
    )


class AttendanceIn(Schema):
    attendance: list[AttendanceMark] = Field(description="one mark per member; unmarked members are absent")
    version: int | None = Field(None, description="The meeting's version the client acted on; another is refused")


class ActionIn(Schema):
    reason: str = Field("", max_length=300)
    version: int | None = Field(None, description="The meeting's version the client acted on; another is refused")


class KindCellOut(Schema):
    kind: str
    kind_label: str
    required: int
    held: int
    missing: list[str]
    exempt: list[str]
    in_progress: bool


class BranchComplianceOut(Schema):
    branch_id: int
    branch_name: str
    behind: bool
    missing_total: int
    kinds: list[KindCellOut]


class ComplianceOut(Schema):
    org_id: int
    start: date
    end: date
    branches: int
    branches_behind: int
    missing_total: int
    totals: list[dict]
    rows: list[BranchComplianceOut]


def _out(m) -> dict:
    return {
        **{f: getattr(m, f) for f in MeetingOut.model_fields if hasattr(m, f)},
        "kind_label": str(m.get_kind_display()),
        "status_label": str(m.get_status_display()),
    }


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, summary="Meetings of the user's organizations")
@api_perm("orglife.view")
def meeting_list(
    request, kind: str = "", status: str = "", start: str = "", end: str = "", limit: int = 50, offset: int = 0
):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    filters = selectors.MeetingFilter(
        kind=kind if kind in MeetingKind.values else "",
        status=status if status in MeetingStatus.values else "",
        start=parse_month(start, field="start", label=_("起始月份")) if start else None,
        end=parse_month(end, field="end", label=_("截止月份")) if end else None,
    )
    return [_out(m) for m in selectors.meeting_list(user=request.auth, filters=filters)[offset : offset + limit]]


@router.post("/meetings", response={201: MeetingOut, **ERRORS}, summary="Record a meeting (a draft)")
@api_perm("orglife.manage")
def meeting_create(request, payload: MeetingIn):
    data = payload.dict()
    data["attendance"] = _attendance(data["attendance"])
    org = get_org_for_user_or_404(request.auth, data.pop("org_id"), "orglife.manage")
    m = services.meeting_create(actor=request.auth, org=org, **data)
    return 201, _out(m)


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="One meeting")
@api_perm("orglife.view")
def meeting_detail(request, meeting_id: int):
    return _out(get_meeting_for_user_or_404(request.auth, meeting_id))


@router.get("/meetings/{meeting_id}/attendance", response={200: list[AttendanceOut], **ERRORS}, summary="Attendance")
@api_perm("orglife.view")
def attendance_list(request, meeting_id: int):
    m = get_meeting_for_user_or_404(request.auth, meeting_id)
    return [
        {
            "member_id": a.member_id,
            "member_name": a.member.name,
            "state": a.state,
            "state_label": str(a.get_state_display()),
            "voting": a.voting,
        }
        for a in selectors.attendance_of(m)
    ]


@router.put("/meetings/{meeting_id}/attendance", response={200: MeetingOut, **ERRORS}, summary="Record attendance")
@api_perm("orglife.manage")
def attendance_set(request, meeting_id: int, payload: AttendanceIn):
    m = get_meeting_for_user_or_404(request.auth, meeting_id)
    if not can_manage(request.auth, m):
        raise Http404
    m = services.meeting_set_attendance(
        actor=request.auth, meeting=m, attendance=_attendance(payload.dict()["attendance"]), version=payload.version
    )
    return _out(m)


ACTIONS = ("submit", "approve", "return")


@router.post(
    "/meetings/{meeting_id}/{action}", response={200: MeetingOut, **ERRORS}, summary=f"One of: {', '.join(ACTIONS)}"
)
@api_perm("orglife.view")
def meeting_action(request, meeting_id: int, action: str, payload: ActionIn):
    m = get_meeting_for_user_or_404(request.auth, meeting_id)
    user = request.auth
    if action not in ACTIONS or not (can_manage(user, m) or can_approve(user, m)):
        raise Http404
    services.MEETING_FLOW.expect_version(m, payload.version)
    if action == "submit":
        m = services.meeting_submit(actor=user, meeting=m, note=payload.reason)
    elif action == "approve":
        m = services.meeting_approve(actor=user, meeting=m, note=payload.reason)
    else:
        m = services.meeting_return(actor=user, meeting=m, reason=payload.reason)
    return _out(m)


@router.get("/compliance", response={200: ComplianceOut, **ERRORS}, summary="Compliance of a subtree and months")
@api_perm("orglife.compliance")
def compliance(request, org_id: int | None = None, start: str = "", end: str = ""):
    today = timezone.localdate()
    first, last = selectors.default_range(today)
    first = parse_month(start, field="start", label=_("起始月份")) if start else first
    last = parse_month(end, field="end", label=_("截止月份")) if end else last
    org = (
        get_org_for_user_or_404(request.auth, org_id, "orglife.compliance")
        if org_id
        else selectors.default_org(request.auth)
    )
    if org is None:
        raise Http404
    check_range(first, last)
    report = selectors.compliance(user=request.auth, org=org, start=first, end=last, today=today)
    return {
        "org_id": org.pk,
        "start": report.start,
        "end": report.end,
        "branches": len(report.rows),
        "branches_behind": report.branches_behind,
        "missing_total": report.missing_total,
        "totals": [{**t, "label": str(t["label"])} for t in report.totals()],
        "rows": [
            {
                "branch_id": r.branch.pk,
                "branch_name": r.branch.name,
                "behind": r.behind,
                "missing_total": r.missing_total,
                "kinds": [
                    {
                        "kind": c.kind,
                        "kind_label": str(c.kind_label),
                        "required": c.required,
                        "held": c.held,
                        "missing": [s.label for s in c.missing],
                        "exempt": [s.label for s in c.exempt],
                        "in_progress": c.in_progress,
                    }
                    for c in r.cell_list
                ],
            }
            for r in report.rows
        ],
    }


# --- the monthly guide ----------------------------------------------------------------------------------------------


class GuideTopicOut(Schema):
    kind: str
    kind_label: str
    title: str


class GuideOut(Schema):
    id: int
    month: date
    title: str
    summary: str
    materials: list[dict] = Field(description="{label, link} per material; link may be empty")
    deadline: date
    published: bool
    published_at: datetime | None
    version: int
    topics: list[GuideTopicOut]


class GuideIn(Schema):
    month: str = Field(description="YYYY-MM")
    title: str = Field(max_length=120)
    deadline: date
    summary: str = Field("", max_length=5000)
    materials: str = Field("", max_length=5000, description="one per line; a line may end with an http(s) link")
    topics: dict[str, list[str]] = Field(default_factory=dict, description="kind -> suggested topics")
    version: int | None = Field(None, description="The guide's version the client edited (updates); another is refused")


class VersionIn(Schema):
    version: int | None = None


class OutstandingOut(Schema):
    branch_id: int
    branch_name: str
    kinds: list[str]


def _guide_out(g) -> dict:
    return {
        "id": g.pk,
        "month": g.month,
        "title": g.title,
        "summary": g.summary,
        "materials": [{"label": label, "link": link} for label, link in selectors.guide_materials(g)],
        "deadline": g.deadline,
        "published": g.published,
        "published_at": g.published_at,
        "version": g.version,
        "topics": [{"kind": t.kind, "kind_label": str(t.get_kind_display()), "title": t.title} for t in g.topics.all()],
    }


def _guide(user, guide_id: int):
    g = selectors.guides_visible_to(user).filter(pk=guide_id).prefetch_related("topics").first()
    if g is None:
        raise Http404
    return g


@router.get("/guides", response={200: list[GuideOut], **ERRORS}, summary="Monthly organizational-life guides")
@api_perm("orglife.view")
def guide_list(request, limit: int = 24, offset: int = 0):
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    qs = selectors.guides_visible_to(request.auth).order_by("-month").prefetch_related("topics")
    return [_guide_out(g) for g in qs[offset : offset + limit]]


@router.get("/guides/current", response={200: GuideOut, **ERRORS}, summary="The guide branches work from now")
@api_perm("orglife.view")
def guide_current(request):
    g = selectors.current_guide(timezone.localdate())
    if g is None:
        raise Http404
    return _guide_out(g)


@router.get("/guides/{guide_id}", response={200: GuideOut, **ERRORS}, summary="One guide")
@api_perm("orglife.view")
def guide_detail(request, guide_id: int):
    return _guide_out(_guide(request.auth, guide_id))


@router.get(
    "/guides/{guide_id}/outstanding",
    response={200: list[OutstandingOut], **ERRORS},
    summary="Branches of the user's scope that have not reported the guide's month",
)
@api_perm("orglife.compliance")
def guide_outstanding(request, guide_id: int):
    g = _guide(request.auth, guide_id)
    return [
        {"branch_id": o.branch.pk, "branch_name": o.branch.name, "kinds": [c.kind for c in o.kinds]}
        for o in selectors.guide_outstanding(g, user=request.auth)
    ]


@router.post("/guides", response={201: GuideOut, **ERRORS}, summary="Write a month's guide (a draft)")
@api_perm("orglife.configure")
def guide_create(request, payload: GuideIn):
    data = payload.dict()
    data.pop("version")
    g = services.guide_save(actor=request.auth, **data)
    return 201, _guide_out(g)


@router.put("/guides/{guide_id}", response={200: GuideOut, **ERRORS}, summary="Correct a guide")
@api_perm("orglife.configure")
def guide_update(request, guide_id: int, payload: GuideIn):
    g = services.guide_save(actor=request.auth, guide=_guide(request.auth, guide_id), **payload.dict())
    return _guide_out(_guide(request.auth, g.pk))


@router.post("/guides/{guide_id}/publish", response={200: GuideOut, **ERRORS}, summary="Publish a guide")
@api_perm("orglife.configure")
def guide_publish(request, guide_id: int, payload: VersionIn):
    g = services.guide_publish(actor=request.auth, guide=_guide(request.auth, guide_id), version=payload.version)
    return _guide_out(_guide(request.auth, g.pk))


class AbsentOut(Schema):
    member_id: int
    member_name: str
    org_id: int
    meetings: list[dict]


@router.get(
    "/absent", response={200: list[AbsentOut], **ERRORS}, summary="Members absent from their last three meetings"
)
@api_perm("orglife.manage")
def absent_list(request):
    since = timezone.localdate() - timedelta(days=365)
    return [
        {
            "member_id": run.member.pk,
            "member_name": run.member.name,
            "org_id": run.member.org_id,
            "meetings": [
                {"meeting_id": r["meeting_id"], "held_on": r["held_on"], "kind": r["kind"], "state": r["state"]}
                for r in run.meetings
            ],
        }
        for run in selectors.absent_in_a_row(user=request.auth, since=since)
    ]
