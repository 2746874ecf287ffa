from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.appeals_config.models import AppealCategory
from hongyin.directory.models import Department
from hongyin.enterprises.models import Enterprise

from . import selectors, services
from .permissions import enterprises_in_scope, get_appeal_for_user_or_404
from .services_visits import visit_record

router = Router(tags=["appeals"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class AppealOut(Schema):
    id: int
    number: str
    title: str
    status: str
    source: str
    enterprise_id: int
    enterprise_name: str
    category: str
    department: str | None
    submitted_on: date
    due_on: date | None
    due_kind: str
    version: int = Field(0, description="Increases with every move; send it back with an action")
    deadlines_provisional: bool = Field(
        description="True when a date the deadlines used comes from an unconfirmed calendar (recomputed later)"
    )
    return_count: int
    rating: str

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_department(obj):
        return obj.department.code if obj.department_id else None


class EventOut(Schema):
    at: str
    kind: str
    before: str
    after: str
    note: str

    @staticmethod
    def resolve_at(obj):
        return obj.at.isoformat()

    @staticmethod
    def resolve_note(obj):
        return obj.display_note  # a note the system wrote, in the client's language


class AppealDetailOut(AppealOut):
    content: str
    reply: str
    accept_due: date | None
    reply_due: date | None
    resolve_due: date | None
    events: list[EventOut]
    similar: list[str]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_similar(obj, context):
        request = (context or {}).get("request")
        if request is None:  # no viewer, nothing related
            return []
        return [a.number for a in services.similar_for(obj, viewer=request.auth)]


class AppealIn(Schema):
    enterprise_id: int
    category: str
    title: str
    content: str
    source: str = "portal"


class AppealActionIn(Schema):
    department: str | None = None
    reason: str = ""
    note: str = ""
    text: str = ""
    final: bool = False
    resolved: bool | None = None
    days: int | None = None
    rating: str = ""
    comment: str = ""
    version: int | None = Field(
        None, description="The appeal's version the client acted on (AppealOut.version); another one is refused"
    )


class FiguresOut(Schema):
    label: str = ""
    total: int
    open: int
    closed: int
    response_rate: float | None
    on_time_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    avg_days: float | None


def _base(qs):
    return qs.select_related("enterprise", "category", "department")


@router.get("/", response={200: list[AppealOut], **ERRORS}, summary="Appeals in the user's scope")
@api_perm("appeals.view")
def list_appeals(
    request, status: str = "", category: str = "", q: str = "", overdue: bool = False, limit: int = 50, offset: int = 0
):
    qs = selectors.appeal_list(user=request.auth, status=status, category=category, q=q[:50], overdue=overdue)
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return list(qs[offset : offset + limit])


@router.get("/queue", response={200: list[AppealOut], **ERRORS}, summary="Open appeals, soonest deadline first")
@api_perm("appeals.queue")
def queue(request, limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return list(selectors.appeal_queue(user=request.auth)[offset : offset + limit])


@router.get("/stats", response={200: list[FiguresOut], **ERRORS}, summary="Figures, total or grouped")
@api_perm("appeals.stats")
def stats(request, by: str = ""):
    if not by:
        return [{"label": "total", **selectors.appeal_figures(user=request.auth)}]
    if by not in (*selectors.GROUPS, "month"):
        from hongyin.common.errors import DomainError

        raise DomainError("by: department, category, building, chain, month", field="by")
    return selectors.appeal_figures_by(user=request.auth, by=by)


@router.get("/{appeal_id}", response={200: AppealDetailOut, **ERRORS}, summary="One appeal with its timeline")
@api_perm("appeals.view")
def get_appeal(request, appeal_id: int):
    a = get_appeal_for_user_or_404(request.auth, appeal_id)
    return _base(type(a).objects).prefetch_related("events").get(pk=a.pk)


@router.post("/", response={201: AppealOut, **ERRORS}, summary="Submit an appeal")
@api_perm("appeals.submit")
def submit(request, payload: AppealIn):
    enterprise = enterprises_in_scope(request.auth, "appeals.submit").filter(pk=payload.enterprise_id).first()
    if enterprise is None:
        raise Http404
    category = AppealCategory.objects.filter(code=payload.category, is_active=True).first()
    a = services.appeal_submit(
        actor=request.auth,
        enterprise=enterprise,
        category=category,
        title=payload.title,
        content=payload.content,
        source=payload.source,
    )
    return 201, _base(type(a).objects).get(pk=a.pk)


@router.post(
    "/{appeal_id}/{action}",
    response={200: AppealOut, **ERRORS},
    summary="Move an appeal (an action APPEAL_FLOW offers)",
)
@api_perm("appeals.view")
def act(request, appeal_id: int, action: str, payload: AppealActionIn):
    a = get_appeal_for_user_or_404(request.auth, appeal_id)
    user, p = request.auth, payload
    dept = Department.objects.filter(code=p.department).first() if p.department else None
    calls = {
        "dispatch": lambda: services.appeal_dispatch(actor=user, appeal=a, department=dept, note=p.note),
        "accept": lambda: services.appeal_accept(actor=user, appeal=a),
        "return": lambda: services.appeal_return(actor=user, appeal=a, reason=p.reason),
        "transfer": lambda: services.appeal_transfer(actor=user, appeal=a, department=dept, reason=p.reason),
        "urge": lambda: services.appeal_urge(actor=user, appeal=a, note=p.note),
        "extension_request": lambda: services.appeal_request_extension(
            actor=user, appeal=a, days=p.days, reason=p.reason
        ),
        "extension_approve": lambda: services.appeal_decide_extension(actor=user, appeal=a, approve=True),
        "extension_refuse": lambda: services.appeal_decide_extension(actor=user, appeal=a, approve=False),
        "reply": lambda: services.appeal_reply(actor=user, appeal=a, text=p.text, final=p.final, resolved=p.resolved),
        "close": lambda: services.appeal_close(actor=user, appeal=a, note=p.note),
        "follow_up": lambda: services.appeal_follow_up(actor=user, appeal=a, note=p.note),
        "rate": lambda: services.appeal_rate(actor=user, appeal=a, rating=p.rating, comment=p.comment),
        "reopen": lambda: services.appeal_reopen(actor=user, appeal=a, reason=p.reason),
    }
    if action not in calls:
        raise Http404
    services.APPEAL_FLOW.expect_version(a, p.version)
    calls[action]()
    return _base(type(a).objects).get(pk=a.pk)


visits_router = Router(tags=["visits"])


class VisitOut(Schema):
    id: int
    enterprise_id: int
    visited_on: date
    status: str
    topics: str
    findings: str


class VisitIn(Schema):
    enterprise_id: int
    visited_on: date
    status: str = "done"
    people: str = ""
    topics: str = ""
    findings: str = ""
    appeal_category: str | None = None
    appeal_title: str = ""
    appeal_content: str = ""


class VisitCoverageOut(Schema):
    label: str
    total: int
    visited: int
    share: float | None


@visits_router.get("/", response={200: list[VisitOut], **ERRORS}, summary="Visits in the user's scope")
@api_perm("visits.view")
def list_visits(request, planned: bool = False, limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return list(selectors.visit_list(user=request.auth, planned=planned)[offset : offset + limit])


@visits_router.post(
    "/", response={201: VisitOut, **ERRORS}, summary="Plan or record a visit (optionally with an appeal)"
)
@api_perm("visits.manage")
def create_visit(request, payload: VisitIn):
    enterprise = Enterprise.objects.filter(pk=payload.enterprise_id).first()
    if enterprise is None:
        raise Http404
    category = AppealCategory.objects.filter(code=payload.appeal_category).first() if payload.appeal_category else None
    visit, _appeal = visit_record(
        actor=request.auth,
        enterprise=enterprise,
        visited_on=payload.visited_on,
        status=payload.status,
        people=payload.people,
        topics=payload.topics,
        findings=payload.findings,
        appeal_category=category,
        appeal_title=payload.appeal_title,
        appeal_content=payload.appeal_content,
    )
    return 201, visit


@visits_router.get("/coverage", response={200: list[VisitCoverageOut], **ERRORS}, summary="Visit coverage")
@api_perm("visits.view")
def coverage(request, by: str = "grid", days: int = 90):
    if by not in ("grid", "committee", "instructor"):
        by = "grid"
    return selectors.visit_coverage(user=request.auth, by=by, days=max(1, min(days, 3650)))


ROUTERS = {"/appeals": router, "/visits": visits_router}  # mounted by hongyin.site.api
