"""API of activities: the same services, scoping and rules as the pages."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.members.selectors import own_member_record
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import ActivityKind, Organizer
from .permissions import can_organize, get_activity_for_user_or_404

router = Router(tags=["activities"])
ROUTERS = {"/activities": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class OrganizerOut(Schema):
    org_id: int
    org_name: str
    host: bool


class ActivityOut(Schema):
    id: int
    org_id: int
    kind: str
    kind_label: str
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    signup_deadline: datetime
    capacity: int
    signed_up: int
    waiting: int
    checked_in: int
    status: str
    version: int
    description: str
    summary: str
    organizers: list[OrganizerOut]
    my_status: str | None = Field(None, description="signed_up, waiting, cancelled, or null when not signed up")
    my_checked_in_at: datetime | None = None
    my_checked_out_at: datetime | None = None
    my_hours: Decimal | None = None


class ActivityIn(Schema):
    org_id: int
    kind: str = Field(description=", ".join(ActivityKind.values))
    title: str = Field(max_length=120)
    place: str = Field(max_length=120)
    starts_at: datetime
    ends_at: datetime
    signup_deadline: datetime
    capacity: int
    description: str = Field("", max_length=20000)
    co_org_ids: list[int] = Field(default_factory=list, description="other organizers of a joint activity")


class SignupOut(Schema):
    activity_id: int
    member_id: int
    member_name: str
    org_name: str
    status: str
    walk_in: bool
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    hours: Decimal | None


class CodeIn(Schema):
    code: str = Field(max_length=1000, description="the code in the check-in QR's URL (its `c` parameter)")


class HoursOut(Schema):
    activity_id: int
    activity_title: str
    served_on: str
    hours: Decimal


def _out(a, mine=None) -> dict:
    return {
        **{f: getattr(a, f) for f in ActivityOut.model_fields if hasattr(a, f) and not f.startswith("my_")},
        "kind_label": str(a.get_kind_display()),
        "organizers": [{"org_id": o.org_id, "org_name": o.org.name, "host": o.host} for o in a.organizers.all()],
        "my_status": mine.status if mine else None,
        "my_checked_in_at": mine.checked_in_at if mine else None,
        "my_checked_out_at": mine.checked_out_at if mine else None,
        "my_hours": mine.hours if mine else None,
    }


def _signup_out(s) -> dict:
    return {
        "activity_id": s.activity_id,
        "member_id": s.member_id,
        "member_name": s.member.name,
        "org_name": s.member.org.name,
        "status": s.status,
        "walk_in": s.walk_in,
        "checked_in_at": s.checked_in_at,
        "checked_out_at": s.checked_out_at,
        "hours": s.hours,
    }


def _one(request, a) -> dict:
    a.refresh_from_db()
    prefetch_related_objects([a], Prefetch("organizers", queryset=Organizer.objects.select_related("org")))
    member = own_member_record(request.auth)
    return _out(a, selectors.own_signups(member, [a.pk]).get(a.pk))


@router.get("", response={200: list[ActivityOut], **ERRORS}, summary="Activities the user sees")
@api_perm("activities.view")
def activity_list(
    request, when: str = "upcoming", kind: str = "", mine: bool = False, limit: int = 50, offset: int = 0
):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    member = own_member_record(request.auth)
    filters = selectors.ActivityFilter(
        kind=kind if kind in ActivityKind.values else "",
        when=when if when in selectors.WHEN else "upcoming",
        mine=mine,
    )
    rows = list(selectors.activity_list(user=request.auth, filters=filters, member=member)[offset : offset + limit])
    own = selectors.own_signups(member, [a.pk for a in rows])
    return [_out(a, own.get(a.pk)) for a in rows]


@router.post("", response={201: ActivityOut, **ERRORS}, summary="Publish an activity")
@api_perm("activities.manage")
def activity_publish(request, payload: ActivityIn):
    data = payload.dict()
    org = get_org_for_user_or_404(request.auth, data.pop("org_id"), "activities.manage")
    co_ids = data.pop("co_org_ids") or []
    co_orgs = list(Organization.objects.filter(pk__in=co_ids[:50]))
    if len(co_orgs) != len(set(co_ids)):
        raise Http404
    a = services.activity_publish(actor=request.auth, org=org, co_orgs=co_orgs, **data)
    return 201, _one(request, a)


@router.get("/volunteer-hours", response={200: list[HoursOut], **ERRORS}, summary="My volunteer-hours ledger")
@api_perm("activities.view")
def my_hours(request, limit: int = 100, offset: int = 0):
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    rows = selectors.volunteer_ledger(own_member_record(request.auth))[offset : offset + limit]
    return [
        {
            "activity_id": h.activity_id,
            "activity_title": h.activity.title,
            "served_on": str(h.served_on),
            "hours": h.hours,
        }
        for h in rows
    ]


@router.get("/{activity_id}", response={200: ActivityOut, **ERRORS}, summary="One activity")
@api_perm("activities.view")
def activity_detail(request, activity_id: int):
    return _one(request, get_activity_for_user_or_404(request.auth, activity_id))


@router.post(
    "/{activity_id}/signup", response={200: ActivityOut, **ERRORS}, summary="Sign up (or join the waiting list)"
)
@api_perm("activities.view")
def signup(request, activity_id: int):
    a = get_activity_for_user_or_404(request.auth, activity_id)
    services.signup_join(actor=request.auth, activity=a)
    return _one(request, a)


@router.post("/{activity_id}/cancel-signup", response={200: ActivityOut, **ERRORS}, summary="Withdraw a sign-up")
@api_perm("activities.view")
def cancel_signup(request, activity_id: int):
    a = get_activity_for_user_or_404(request.auth, activity_id)
    services.signup_cancel(actor=request.auth, activity=a)
    return _one(request, a)


@router.post("/{activity_id}/checkin", response={200: ActivityOut, **ERRORS}, summary="Check in with the QR's code")
@api_perm("activities.view")
def check_in(request, activity_id: int, payload: CodeIn):
    a = get_activity_for_user_or_404(request.auth, activity_id)
    services.check_in(actor=request.auth, activity=a, code=payload.code)
    return _one(request, a)


@router.post(
    "/{activity_id}/checkout", response={200: ActivityOut, **ERRORS}, summary="Check out of a volunteer service"
)
@api_perm("activities.view")
def check_out(request, activity_id: int, payload: CodeIn):
    a = get_activity_for_user_or_404(request.auth, activity_id)
    services.check_out(actor=request.auth, activity=a, code=payload.code)
    return _one(request, a)


@router.get(
    "/{activity_id}/attendance",
    response={200: list[SignupOut], **ERRORS},
    summary="Sign-ups and check-ins of the organizer's own members",
)
@api_perm("activities.manage")
def attendance(request, activity_id: int):
    a = get_activity_for_user_or_404(request.auth, activity_id)
    if not can_organize(request.auth, a):
        raise Http404
    return [_signup_out(s) for s in selectors.attendance(request.auth, a)]
