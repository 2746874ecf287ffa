"""API of dues: ledger, payments, month open/close, arrears, reports, profiles and reductions."""

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.members.permissions import get_member_for_user_or_404
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import DuesRecord, PaymentMethod
from .permissions import get_reduction_for_user_or_404
from .rules import parse_month

router = Router(tags=["dues"])
ROUTERS = {"/dues": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _month_field():
    return Field(pattern=r"^\d{4}-\d{1,2}$", description="YYYY-MM")


class RecordOut(Schema):
    member_id: int
    member_name: str
    branch_id: int
    month: str
    due: Decimal
    paid: Decimal
    arrears: Decimal
    paid_on: date | None
    method: str
    closed: bool


class TotalsOut(Schema):
    n: int
    due_total: Decimal
    paid_total: Decimal
    arrears_total: Decimal
    unpaid: int


class LedgerOut(Schema):
    branch_id: int
    month: str
    totals: TotalsOut
    rows: list[RecordOut]


def _money(default=..., *, top: int, positive: bool = False):
    """A yuan amount, at most two decimals, up to `top` (a power of ten), above 0 if `positive`. Pydantic checks
    it; the schema documents it as the decimal string to send, the range written into the pattern, so that every
    documented value is accepted (pydantic's own schema, any number or any digits, is not)."""
    digits = len(str(top)) - 1
    if digits == 0:
        below = r"0(?:\.[0-9]{1,2})?"
    elif positive:
        below = rf"[1-9][0-9]{{0,{digits - 1}}}(?:\.[0-9]{{1,2}})?|0\.(?:0[1-9]|[1-9][0-9]?)"
    else:
        below = rf"(?:0|[1-9][0-9]{{0,{digits - 1}}})(?:\.[0-9]{{1,2}})?"
    example = "0.50" if top == 1 else "100.00"
    money = {"type": "string", "pattern": rf"^(?:{below}|{top}(?:\.00?)?)$", "examples": [example]}

    def document(schema: dict) -> None:
        nullable = any(s.get("type") == "null" for s in schema.pop("anyOf", []))
        schema.pop("type", None)
        if nullable:
            schema["anyOf"] = [money, {"type": "null"}]
        else:
            schema.update(money)

    bounds = {"gt": 0} if positive else {"ge": 0}
    return Field(default, le=top, decimal_places=2, json_schema_extra=document, **bounds)


class PayIn(Schema):
    member_id: int
    month: str = _month_field()
    amount: Decimal = _money(top=100000, positive=True)
    paid_on: date | None = None
    method: PaymentMethod | None = Field(None, description="cash, bank, wechat, alipay or payroll")


class PayBulkIn(Schema):
    branch_id: int
    month: str = _month_field()
    member_ids: list[int] = Field(min_length=1, max_length=5000)
    paid_on: date | None = None
    method: PaymentMethod | None = None


class PayCorrectIn(Schema):
    member_id: int
    month: str = _month_field()
    amount: Decimal = _money(top=100000, positive=True)
    paid_on: date
    method: PaymentMethod
    reason: str = Field(min_length=2, max_length=200)


class MonthIn(Schema):
    org_id: int
    month: str = _month_field()


class CloseOut(Schema):
    org_id: int
    month: str
    members: int
    due_total: Decimal
    paid_total: Decimal


class DuesCountOut(Schema):
    count: int


class StandingOut(Schema):
    member_id: int
    member_name: str
    branch_id: int
    arrears_months: int
    arrears_amount: Decimal


class ReportRowOut(Schema):
    branch_id: int
    branch_name: str
    members: int
    due_total: Decimal
    paid_total: Decimal
    arrears_total: Decimal
    rate: float | None


class ReportOut(Schema):
    org_id: int
    start: str
    end: str
    rows: list[ReportRowOut]
    totals: dict


class ProfileIn(Schema):
    base: Decimal = _money(top=10000000)
    voluntary_extra: Decimal = _money(Decimal("0"), top=100000)
    farmer_amount: Decimal | None = _money(None, top=1)


class ProfileOut(Schema):
    member_id: int
    base: Decimal
    voluntary_extra: Decimal
    farmer_amount: Decimal | None
    monthly_amount: Decimal


class ReductionIn(Schema):
    member_id: int
    kind: str
    start_month: str = _month_field()
    end_month: str = _month_field()
    reason: str = Field(max_length=300)
    monthly_amount: Decimal = _money(Decimal("0"), top=100000)


class ReductionOut(Schema):
    id: int
    member_id: int
    kind: str
    status: str
    monthly_amount: Decimal
    start_month: str
    end_month: str
    reason: str
    decision_note: str


class ReductionDecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


def _record(r) -> dict:
    return {
        "member_id": r.member_id,
        "member_name": r.member.name,
        "branch_id": r.branch_id,
        "month": f"{r.month:%Y-%m}",
        "due": r.due,
        "paid": r.paid,
        "arrears": r.arrears,
        "paid_on": r.paid_on,
        "method": r.method,
        "closed": r.closed,
    }


def _reduction(r) -> dict:
    return {
        "id": r.pk,
        "member_id": r.member_id,
        "kind": r.kind,
        "status": r.status,
        "monthly_amount": r.monthly_amount,
        "start_month": f"{r.start_month:%Y-%m}",
        "end_month": f"{r.end_month:%Y-%m}",
        "reason": r.reason,
        "decision_note": r.decision_note,
    }


def _member(request, member_id: int):
    return get_member_for_user_or_404(request.auth, member_id, "dues.manage")


def _branch(request, pk: int):
    org = get_org_for_user_or_404(request.auth, pk, "dues.manage")
    if org.kind not in BRANCH_KINDS:
        raise Http404
    return org


@router.get("/ledger", response={200: LedgerOut, **ERRORS}, summary="A branch's month: due, paid, arrears")
@api_perm("dues.manage")
def ledger(request, branch_id: int, month: str):
    branch, m = _branch(request, branch_id), parse_month(month)
    rows, totals = selectors.ledger(user=request.auth, branch=branch, month=m)
    return {"branch_id": branch.pk, "month": f"{m:%Y-%m}", "totals": totals, "rows": [_record(r) for r in rows]}


@router.get("/mine", response={200: list[RecordOut], **ERRORS}, summary="The signed-in member's own dues")
@api_perm("dues.view")
def mine(request):
    return [_record(r) for r in selectors.my_records(user=request.auth).select_related("member")[:36]]


@router.post("/payments", response={201: RecordOut, **ERRORS}, summary="Record one payment")
@api_perm("dues.manage")
def pay(request, payload: PayIn):
    record = services.dues_pay(
        actor=request.auth,
        member=_member(request, payload.member_id),
        month=parse_month(payload.month),
        amount=payload.amount,
        paid_on=payload.paid_on,
        method=payload.method,
    )
    return 201, _record(record)


@router.post("/payments/correct", response={200: RecordOut, **ERRORS}, summary="Correct a recorded payment")
@api_perm("dues.manage")
def pay_correct(request, payload: PayCorrectIn):
    member = _member(request, payload.member_id)
    record = get_object_or_404(
        DuesRecord.objects.select_related("member"), member=member, month=parse_month(payload.month)
    )
    record = services.dues_payment_correct(
        actor=request.auth,
        record=record,
        amount=payload.amount,
        paid_on=payload.paid_on,
        method=payload.method,
        reason=payload.reason,
    )
    return _record(record)


@router.post("/payments/bulk", response={200: DuesCountOut, **ERRORS}, summary="Mark members paid in full")
@api_perm("dues.manage")
def pay_bulk(request, payload: PayBulkIn):
    n = services.dues_pay_bulk(
        actor=request.auth,
        branch=_branch(request, payload.branch_id),
        month=parse_month(payload.month),
        member_ids=payload.member_ids,
        paid_on=payload.paid_on,
        method=payload.method,
    )
    return {"count": n}


@router.post("/months/open", response={200: DuesCountOut, **ERRORS}, summary="Create a month's dues for a subtree")
@api_perm("dues.manage")
def month_open(request, payload: MonthIn):
    org = get_org_for_user_or_404(request.auth, payload.org_id, "dues.manage")
    return {"count": services.dues_month_open(actor=request.auth, org=org, month=parse_month(payload.month))}


@router.post("/months/close", response={200: CloseOut, **ERRORS}, summary="Close a month for a subtree")
@api_perm("dues.manage")
def month_close(request, payload: MonthIn):
    org = get_org_for_user_or_404(request.auth, payload.org_id, "dues.manage")
    c = services.dues_month_close(actor=request.auth, org=org, month=parse_month(payload.month))
    return {
        "org_id": org.pk,
        "month": f"{c.month:%Y-%m}",
        "members": c.members,
        "due_total": c.due_total,
        "paid_total": c.paid_total,
    }


@router.get("/arrears", response={200: list[StandingOut], **ERRORS}, summary="Members N+ months in arrears")
@api_perm("dues.manage")
def arrears(request, months: int = 3, limit: int = 100, offset: int = 0):
    months, limit, offset = max(1, min(months, 24)), max(1, min(limit, 500)), max(0, offset)
    rows = selectors.arrears_list(user=request.auth, min_months=months)[offset : offset + limit]
    return [
        {
            "member_id": s.member_id,
            "member_name": s.member.name,
            "branch_id": s.branch_id,
            "arrears_months": s.arrears_months,
            "arrears_amount": s.arrears_amount,
        }
        for s in rows
    ]


@router.get("/report", response={200: ReportOut, **ERRORS}, summary="Collection report for a subtree")
@api_perm("dues.manage")
def report(request, org_id: int, start: str, end: str):
    org = get_org_for_user_or_404(request.auth, org_id, "dues.manage")
    s, e = parse_month(start, field="start"), parse_month(end, field="end")
    rows, totals = selectors.collection_report(user=request.auth, org=org, start=s, end=e)
    return {
        "org_id": org.pk,
        "start": f"{s:%Y-%m}",
        "end": f"{e:%Y-%m}",
        "rows": [{**r, "branch_name": r["branch__name"]} for r in rows],
        "totals": {k: str(v) if isinstance(v, Decimal) else v for k, v in totals.items()},
    }


@router.put("/profiles/{member_id}", response={200: ProfileOut, **ERRORS}, summary="Set a member's dues base")
@api_perm("dues.manage")
def profile_set(request, member_id: int, payload: ProfileIn):
    member = _member(request, member_id)
    p = services.dues_profile_set(actor=request.auth, member=member, **payload.dict())
    from .rules import month_start

    amount = services.amount_for(member, month_start(date.today()))
    return {
        "member_id": member.pk,
        "base": p.base,
        "voluntary_extra": p.voluntary_extra,
        "farmer_amount": p.farmer_amount,
        "monthly_amount": amount,
    }


@router.post("/reductions", response={201: ReductionOut, **ERRORS}, summary="Request a reduction or exemption")
@api_perm("dues.manage")
def reduction_request(request, payload: ReductionIn):
    r = services.dues_reduction_request(
        actor=request.auth,
        member=_member(request, payload.member_id),
        kind=payload.kind,
        start_month=parse_month(payload.start_month, field="start_month"),
        end_month=parse_month(payload.end_month, field="end_month"),
        reason=payload.reason,
        monthly_amount=payload.monthly_amount,
    )
    return 201, _reduction(r)


@router.post("/reductions/{reduction_id}/decide", response={200: ReductionOut, **ERRORS}, summary="Approve/refuse")
@api_perm("dues.approve")
def reduction_decide(request, reduction_id: int, payload: ReductionDecideIn):
    r = get_reduction_for_user_or_404(request.auth, reduction_id)
    return _reduction(services.dues_reduction_decide(actor=request.auth, reduction=r, **payload.dict()))
