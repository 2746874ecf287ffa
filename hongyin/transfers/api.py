"""API of relation transfers: the same services, scoping and sides as the pages."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.members.permissions import get_member_for_user_or_404
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import TransferKind
from .permissions import get_transfer_for_user_or_404

router = Router(tags=["transfers"])
ROUTERS = {"/transfers": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class TransferOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    version: int
    status_label: str
    member_id: int | None
    member_name: str
    source_id: int | None
    target_id: int | None
    external_org: str
    reason: str
    return_reason: str
    created_at: datetime
    issued_on: date | None
    slip_returned_on: date | None


class QueueOut(Schema):
    pending: int
    to_act: int
    overdue: int
    to_accept: int
    items: list[TransferOut]


class RequestIn(Schema):
    member_id: int
    target_id: int
    reason: str = Field(max_length=200)


class OutIn(Schema):
    member_id: int
    external_org: str = Field(max_length=200)
    reason: str = Field(max_length=200)
    letter_valid_days: int = 30


class InIn(Schema):
    target_id: int
    external_org: str = Field(max_length=200)
    incoming_letter_number: str = Field("", max_length=60)
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=30)
    joined_on: date
    gender: str = ""
    phone: str = Field("", max_length=20)
    category: str = "employed"
    status: str = "full"
    full_member_on: date | None = None
    education: str = ""
    employer_name: str = Field("", max_length=200)


class TransferActionIn(Schema):
    reason: str = Field("", max_length=300)
    target_id: int | None = None
    slip_returned_on: date | None = None
    version: int | None = Field(None, description="The transfer's version the client acted on; another is refused")


def _out(t) -> dict:
    return {
        **{f: getattr(t, f) for f in TransferOut.model_fields if hasattr(t, f)},
        "status_label": str(t.get_status_display()),
    }


def _member(request, member_id: int):
    return get_member_for_user_or_404(request.auth, member_id, "transfers.manage")


def _any_branch(pk: int) -> Organization:
    """A transfer's target may be any branch of the platform (the target side then accepts or returns it)."""
    try:
        return Organization.objects.get(pk=pk, kind__in=BRANCH_KINDS)
    except Organization.DoesNotExist:
        raise Http404


@router.get("/", response={200: list[TransferOut], **ERRORS}, summary="Transfers of the user's organizations")
@api_perm("transfers.view")
def transfer_list(request, status: str = "open", kind: str = "", q: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    kind = kind if kind in TransferKind.values else ""
    qs = selectors.transfer_list(user=request.auth, status=status, kind=kind, q=q[:50])
    return [_out(t) for t in qs[offset : offset + limit]]


@router.get("/queue", response={200: QueueOut, **ERRORS}, summary="Pending, waiting on us, overdue (> 30 days)")
@api_perm("transfers.view")
def queue(request):
    counts = selectors.queue_counts(user=request.auth)
    return {**counts, "items": [_out(t) for t in selectors.pending(user=request.auth)[:100]]}


@router.post("/", response={201: TransferOut, **ERRORS}, summary="Start a transfer inside the platform")
@api_perm("transfers.manage")
def transfer_request(request, payload: RequestIn):
    t = services.transfer_request(
        actor=request.auth,
        member=_member(request, payload.member_id),
        target=_any_branch(payload.target_id),
        reason=payload.reason,
    )
    return 201, _out(t)


@router.post("/out", response={201: TransferOut, **ERRORS}, summary="Issue an introduction letter (out)")
@api_perm("transfers.manage")
def transfer_out(request, payload: OutIn):
    t = services.transfer_out_issue(
        actor=request.auth,
        member=_member(request, payload.member_id),
        external_org=payload.external_org,
        reason=payload.reason,
        valid_days=payload.letter_valid_days,
    )
    return 201, _out(t)


@router.post("/in", response={201: TransferOut, **ERRORS}, summary="Receive a member from outside")
@api_perm("transfers.manage")
def transfer_in(request, payload: InIn):
    data = payload.dict()
    target = get_org_for_user_or_404(request.auth, data.pop("target_id"), "transfers.manage")
    t = services.transfer_in_receive(actor=request.auth, target=target, birth_date=None, **data)
    return 201, _out(t)


@router.get("/{transfer_id}", response={200: TransferOut, **ERRORS}, summary="One transfer")
@api_perm("transfers.view")
def transfer_detail(request, transfer_id: int):
    return _out(get_transfer_for_user_or_404(request.auth, transfer_id))


ACTIONS = ("approve", "accept", "return", "resubmit", "cancel", "slip")


@router.post("/{transfer_id}/{action}", response={200: TransferOut, **ERRORS}, summary=f"One of: {', '.join(ACTIONS)}")
@api_perm("transfers.manage")
def transfer_action(request, transfer_id: int, action: str, payload: TransferActionIn):
    t = get_transfer_for_user_or_404(request.auth, transfer_id)
    user = request.auth
    services.TRANSFER_FLOW.expect_version(t, payload.version)
    if action == "approve":
        t = services.transfer_approve(actor=user, transfer=t, note=payload.reason)
    elif action == "accept":
        t = services.transfer_accept(actor=user, transfer=t, note=payload.reason)
    elif action == "return":
        t = services.transfer_return(actor=user, transfer=t, reason=payload.reason)
    elif action == "resubmit":
        target = _any_branch(payload.target_id) if payload.target_id else None
        t = services.transfer_resubmit(actor=user, transfer=t, target=target, note=payload.reason)
    elif action == "cancel":
        t = services.transfer_cancel(actor=user, transfer=t, reason=payload.reason)
    elif action == "slip":
        t = services.transfer_out_slip_returned(actor=user, transfer=t, returned_on=payload.slip_returned_on)
    else:
        raise Http404
    return _out(t)
