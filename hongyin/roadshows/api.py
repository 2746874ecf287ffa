"""API of roadshows and one-stop services: the same services, scoping and workflows as the pages."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut, decimal_field
from hongyin.appeals.permissions import enterprises_in_scope
from hongyin.common.errors import DomainError
from hongyin.directory.models import Department, FinancialInstitution

from . import selectors, services
from .models import EventKind
from .permissions import (
    can_manage,
    get_event_for_user_or_404,
    get_outcome_for_user_or_404,
    get_package_request_for_user_or_404,
    offerings_visible_to,
    organizer_choices,
    packages_visible_to,
)

router = Router(tags=["roadshows"])
ROUTERS = {"/roadshows": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class RoadshowFiguresOut(Schema):
    presentations: int
    financing_sought: Decimal
    invitations: int
    registrations: int
    attended: int
    intentions: int
    agreements: int
    landed: int
    landed_amount: Decimal


class RoadshowEventOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    version: int
    held_on: date
    place: str
    organizer_ids: list[int]
    figures: RoadshowFiguresOut


class EventIn(Schema):
    title: str = Field(max_length=120)
    kind: str = Field(EventKind.ROADSHOW, description=", ".join(EventKind.values))
    held_on: date
    place: str = Field("", max_length=120)
    description: str = Field("", max_length=5000)
    organizer_ids: list[int]


class PresentationIn(Schema):
    enterprise_id: int
    project: str = Field(max_length=120)
    financing_sought: Decimal | None = decimal_field(None, int_digits=10)


class PresentationOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    project: str
    financing_sought: Decimal | None


class OutcomeOut(Schema):
    id: int
    event_id: int
    stage: str
    stage_label: str
    version: int
    project: str
    enterprise_id: int
    enterprise_name: str
    amount: Decimal | None
    occurred_on: date
    department_id: int | None
    follow_up_due: date | None
    followed_up_on: date | None


class OutcomeIn(Schema):
    stage: str = Field(description="intention, agreement, landed")
    enterprise_id: int
    project: str = Field(max_length=120)
    occurred_on: date
    amount: Decimal | None = decimal_field(None, int_digits=10)
    department_id: int | None = None
    institution_id: int | None = None
    follow_up_due: date | None = None
    note: str = Field("", max_length=300)


class OutcomeActionIn(Schema):
    version: int | None = Field(None, description="The outcome's version the client acted on; another is refused")
    note: str = Field("", max_length=300)
    occurred_on: date | None = None
    amount: Decimal | None = decimal_field(None, int_digits=10)
    department_id: int | None = None
    follow_up_due: date | None = None


class OfferingOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    description: str
    provider_id: int
    department_id: int
    department_name: str
    institution_id: int | None
    resolve_days: int


class PackageOut(Schema):
    id: int
    name: str
    description: str
    provider_id: int
    institution_id: int | None
    offering_ids: list[int]


class ServiceRequestIn(Schema):
    enterprise_id: int
    note: str = Field("", max_length=500)


class RequestOut(Schema):
    id: int
    offering_id: int
    offering_name: str
    enterprise_id: int
    appeal_id: int
    appeal_number: str
    state: str
    state_label: str
    department_id: int | None
    resolve_due: date | None
    rating: str
    package_request_id: int | None


class PackageRequestOut(Schema):
    id: int
    package_id: int
    enterprise_id: int
    requested_on: date
    done: bool
    parts_done: int
    parts: list[RequestOut]


def _figures(f) -> dict:
    return {name: getattr(f, name) for name in RoadshowFiguresOut.model_fields}


def _event_out(e, figures) -> dict:
    return {
        "id": e.pk,
        "title": e.title,
        "kind": e.kind,
        "kind_label": str(e.get_kind_display()),
        "status": e.status,
        "status_label": str(e.get_status_display()),
        "version": e.version,
        "held_on": e.held_on,
        "place": e.place,
        "organizer_ids": [o.pk for o in e.organizers.all()],
        "figures": _figures(figures),
    }


def _outcome_out(o) -> dict:
    return {
        "id": o.pk,
        "event_id": o.event_id,
        "stage": o.stage,
        "stage_label": str(o.get_stage_display()),
        "version": o.version,
        "project": o.project,
        "enterprise_id": o.enterprise_id,
        "enterprise_name": o.enterprise.name,
        "amount": o.amount,
        "occurred_on": o.occurred_on,
        "department_id": o.department_id,
        "follow_up_due": o.follow_up_due,
        "followed_up_on": o.followed_up_on,
    }


def _request_out(r) -> dict:
    a = r.appeal
    return {
        "id": r.pk,
        "offering_id": r.offering_id,
        "offering_name": r.offering.name,
        "enterprise_id": r.enterprise_id,
        "appeal_id": a.pk,
        "appeal_number": a.number,
        "state": a.status,
        "state_label": str(a.get_status_display()),
        "department_id": a.department_id,
        "resolve_due": a.resolve_due,
        "rating": a.rating,
        "package_request_id": r.package_request_id,
    }


def _enterprise(user, pk, perm="appeals.view"):
    if pk is None:
        return None
    found = enterprises_in_scope(user, perm).filter(pk=pk).first()
    if found is None:
        raise DomainError(_("该企业不在您的服务范围内。"), field="enterprise_id")
    return found


def _department(pk):
    if pk is None:
        return None
    found = Department.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise DomainError(_("请选择有效的跟进部门。"), field="department_id")
    return found


# --- events ---------------------------------------------------------------------------------------------------------


@router.get("/events", response={200: list[RoadshowEventOut], **ERRORS}, summary="Roadshows and matchmaking events")
@api_perm("roadshows.view")
def event_list(request, kind: str = "", status: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    f = selectors.EventFilter(kind=kind if kind in EventKind.values else "", status=status)
    events = list(selectors.event_list(user=request.auth, filters=f)[offset : offset + limit])
    figures = selectors.figures_by_event([e.pk for e in events])
    return [_event_out(e, figures[e.pk]) for e in events]


@router.post("/events", response={201: RoadshowEventOut, **ERRORS}, summary="Create an event")
@api_perm("roadshows.manage")
def event_create(request, payload: EventIn):
    orgs = list(organizer_choices(request.auth).filter(pk__in=payload.organizer_ids))
    if len(orgs) != len(set(payload.organizer_ids)):
        raise DomainError(_("主办党组织须在您的管理范围内。"), field="organizer_ids")
    chain = next((c for o in orgs for c in o.committee_chains.all()), None)
    e = services.event_create(
        actor=request.auth,
        title=payload.title,
        kind=payload.kind,
        held_on=payload.held_on,
        place=payload.place,
        description=payload.description,
        organizers=orgs,
        chain=chain,
    )
    return 201, _event_out(e, selectors.figures_by_event([e.pk])[e.pk])


@router.get("/events/{event_id}", response={200: RoadshowEventOut, **ERRORS}, summary="One event with its figures")
@api_perm("roadshows.view")
def event_detail(request, event_id: int):
    e = get_event_for_user_or_404(request.auth, event_id)
    return _event_out(e, selectors.figures_by_event([e.pk])[e.pk])


def _managed(user, event_id):
    e = get_event_for_user_or_404(user, event_id)
    if not can_manage(user, e):
        raise Http404
    return e


@router.post("/events/{event_id}/presentations", response={201: PresentationOut, **ERRORS}, summary="Add a project")
@api_perm("roadshows.manage")
def presentation_add(request, event_id: int, payload: PresentationIn):
    e = _managed(request.auth, event_id)
    p = services.presentation_add(
        actor=request.auth,
        event=e,
        enterprise=_enterprise(request.auth, payload.enterprise_id),
        project=payload.project,
        financing_sought=payload.financing_sought,
    )
    return 201, {
        "id": p.pk,
        "enterprise_id": p.enterprise_id,
        "enterprise_name": p.enterprise.name,
        "project": p.project,
        "financing_sought": p.financing_sought,
    }


@router.get("/events/{event_id}/outcomes", response={200: list[OutcomeOut], **ERRORS}, summary="An event's outcomes")
@api_perm("roadshows.view")
def outcome_list(request, event_id: int):
    e = get_event_for_user_or_404(request.auth, event_id)
    return [_outcome_out(o) for o in selectors.outcome_list(user=request.auth).filter(event=e)]


@router.post("/events/{event_id}/outcomes", response={201: OutcomeOut, **ERRORS}, summary="Record an outcome")
@api_perm("roadshows.manage")
def outcome_create(request, event_id: int, payload: OutcomeIn):
    e = _managed(request.auth, event_id)
    institution = None
    if payload.institution_id is not None:
        institution = FinancialInstitution.objects.filter(pk=payload.institution_id).first()
        if institution is None:
            raise DomainError(_("请选择有效的对接机构。"), field="institution_id")
    o = services.outcome_record(
        actor=request.auth,
        event=e,
        stage=payload.stage,
        project=payload.project,
        enterprise=_enterprise(request.auth, payload.enterprise_id),
        occurred_on=payload.occurred_on,
        amount=payload.amount,
        department=_department(payload.department_id),
        institution=institution,
        follow_up_due=payload.follow_up_due,
        note=payload.note,
    )
    return 201, _outcome_out(o)


class RoadshowVersionIn(Schema):
    version: int | None = None
    reason: str = Field("", max_length=300)


@router.post("/events/{event_id}/{action}", response={200: RoadshowEventOut, **ERRORS}, summary="hold or cancel")
@api_perm("roadshows.manage")
def event_action(request, event_id: int, action: str, payload: RoadshowVersionIn):
    e = _managed(request.auth, event_id)
    if action == "hold":
        e = services.event_hold(actor=request.auth, event=e, version=payload.version)
    elif action == "cancel":
        e = services.event_cancel(actor=request.auth, event=e, version=payload.version, reason=payload.reason)
    else:
        raise Http404
    return _event_out(e, selectors.figures_by_event([e.pk])[e.pk])


@router.get("/follow-ups", response={200: list[OutcomeOut], **ERRORS}, summary="Outcomes due for follow-up")
@api_perm("roadshows.manage")
def follow_ups(request):
    return [_outcome_out(o) for o in selectors.follow_ups_due(user=request.auth, today=timezone.localdate())[:200]]


@router.post(
    "/outcomes/{outcome_id}/{action}",
    response={200: OutcomeOut, **ERRORS},
    summary="One of: follow_up, agree, land, drop",
)
@api_perm("roadshows.manage")
def outcome_action(request, outcome_id: int, action: str, payload: OutcomeActionIn):
    o = get_outcome_for_user_or_404(request.auth, outcome_id)
    user = request.auth
    if not can_manage(user, o.event):
        raise Http404
    if action == "follow_up":
        o = services.outcome_follow_up(
            actor=user, outcome=o, note=payload.note, next_due=payload.follow_up_due, version=payload.version
        )
    elif action == "agree":
        o = services.outcome_agree(
            actor=user,
            outcome=o,
            occurred_on=payload.occurred_on,
            next_due=payload.follow_up_due,
            amount=payload.amount,
            note=payload.note,
            version=payload.version,
        )
    elif action == "land":
        o = services.outcome_land(
            actor=user,
            outcome=o,
            occurred_on=payload.occurred_on,
            amount=payload.amount,
            department=_department(payload.department_id),
            note=payload.note,
            version=payload.version,
        )
    elif action == "drop":
        o = services.outcome_drop(actor=user, outcome=o, reason=payload.note, version=payload.version)
    else:
        raise Http404
    return _outcome_out(o)


@router.get("/figures", response={200: dict, **ERRORS}, summary="Figures per event and per committee")
@api_perm("roadshows.manage")
def figures(request, year: int | None = Query(None, ge=1, le=9999)):
    rows, committees = selectors.figures_report(user=request.auth, year=year)
    return {
        "events": [{"event_id": e.pk, "title": e.title, **_figures(f)} for e, f in rows],
        "committees": [
            {"org_id": c.org.pk, "org_name": c.org.name, "events": c.figures.events, **_figures(c.figures)}
            for c in committees
        ],
        "total": _figures(selectors.total(rows)),
    }


# --- one-stop services ----------------------------------------------------------------------------------------------


@router.get("/services", response={200: list[OfferingOut], **ERRORS}, summary="The one-stop service catalogue")
@api_perm("roadshows.services")
def offering_list(request):
    return [
        {
            "id": o.pk,
            "kind": o.kind,
            "kind_label": str(o.get_kind_display()),
            "name": o.name,
            "description": o.description,
            "provider_id": o.provider_id,
            "department_id": o.department_id,
            "department_name": o.department.name,
            "institution_id": o.institution_id,
            "resolve_days": o.category.resolve_days,
        }
        for o in offerings_visible_to(request.auth).select_related("department", "category")
    ]


@router.get("/packages", response={200: list[PackageOut], **ERRORS}, summary="Service packages")
@api_perm("roadshows.services")
def package_list(request):
    return [
        {
            "id": p.pk,
            "name": p.name,
            "description": p.description,
            "provider_id": p.provider_id,
            "institution_id": p.institution_id,
            "offering_ids": [part.offering_id for part in p.package_parts.all()],
        }
        for p in packages_visible_to(request.auth).prefetch_related("package_parts")
    ]


@router.post("/services/{offering_id}/requests", response={201: RequestOut, **ERRORS}, summary="Request a service")
@api_perm("roadshows.request")
def service_request(request, offering_id: int, payload: ServiceRequestIn):
    offering = offerings_visible_to(request.auth).filter(pk=offering_id).first()
    if offering is None:
        raise Http404
    enterprise = _enterprise(request.auth, payload.enterprise_id, "appeals.submit")
    r = services.service_request(actor=request.auth, offering=offering, enterprise=enterprise, note=payload.note)
    return 201, _request_out(r)


def _package_out(user, pr) -> dict:
    progress = selectors.package_progress(user=user, package_request=pr)
    return {
        "id": pr.pk,
        "package_id": pr.package_id,
        "enterprise_id": pr.enterprise_id,
        "requested_on": pr.requested_on,
        "done": progress.is_done,
        "parts_done": progress.done,
        "parts": [_request_out(r) for r in progress.parts],
    }


@router.post(
    "/packages/{package_id}/requests", response={201: PackageRequestOut, **ERRORS}, summary="Request a package"
)
@api_perm("roadshows.request")
def package_request(request, package_id: int, payload: ServiceRequestIn):
    package = packages_visible_to(request.auth).filter(pk=package_id).first()
    if package is None:
        raise Http404
    enterprise = _enterprise(request.auth, payload.enterprise_id, "appeals.submit")
    pr = services.package_request(actor=request.auth, package=package, enterprise=enterprise, note=payload.note)
    return 201, _package_out(request.auth, pr)


@router.get("/requests", response={200: list[RequestOut], **ERRORS}, summary="Service requests and their states")
@api_perm("roadshows.services")
def request_list(request, state: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    rows = selectors.request_list(user=request.auth, state=state if state in ("open", "done") else "")
    return [_request_out(r) for r in rows[offset : offset + limit]]


@router.get(
    "/package-requests/{request_id}", response={200: PackageRequestOut, **ERRORS}, summary="A package request's parts"
)
@api_perm("roadshows.services")
def package_request_detail(request, request_id: int):
    return _package_out(request.auth, get_package_request_for_user_or_404(request.auth, request_id))
