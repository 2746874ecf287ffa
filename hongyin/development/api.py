"""API of the development pipeline: the same services and scoping as the pages."""

from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.common.fields import mask_id_number
from hongyin.members.permissions import members_visible_to
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .permissions import get_case_for_user_or_404
from .steps import Stage

router = Router(tags=["development"])
ROUTERS = {"/development": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class CaseOut(Schema):
    id: int
    version: int
    name: str
    gender: str
    birth_date: date
    id_number_masked: str
    branch_id: int
    branch_name: str
    stage: str
    stage_label: str
    applied_on: date
    activist_on: date | None
    candidate_on: date | None
    admitted_on: date | None
    probation_ends_on: date | None
    probation_extended: bool
    full_on: date | None
    member_id: int | None


class StepOut(Schema):
    step: int
    title: str
    done_on: date
    note: str
    warning: str
    people: list[int]
    data: dict


class CaseDetailOut(CaseOut):
    steps: list[StepOut]


class CaseIn(Schema):
    branch_id: int
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=30)
    applied_on: date
    gender: str = ""
    phone: str = Field("", max_length=20)
    ethnicity: str = "汉族"
    education: str = ""
    category: str = "employed"
    employer_name: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class StepIn(Schema):
    step: int = Field(ge=2, le=25)
    done_on: date
    note: str = Field("", max_length=2000)
    people: list[int] = Field(default_factory=list, max_length=10)
    yes_votes: int | None = Field(None, ge=0, le=100000)
    training_days: int | None = Field(None, ge=0, le=1000)
    training_hours: int | None = Field(None, ge=0, le=10000)
    conclusion: str | None = Field(None, max_length=20)
    version: int | None = Field(None, description="The case's version the client acted on; another one is refused")


class ExtendIn(Schema):
    months: int
    decided_on: date
    reason: str = Field(max_length=200)
    version: int | None = Field(None, description="The case's version the client acted on; another one is refused")


class CloseIn(Schema):
    reason: str = Field(max_length=200)
    version: int | None = Field(None, description="The case's version the client acted on; another one is refused")


class DueOut(Schema):
    reviews_due: list[CaseOut]
    candidates_ready: list[CaseOut]
    probations_ending: list[CaseOut]


def _out(case) -> dict:
    return {
        **{f: getattr(case, f) for f in CaseOut.model_fields if hasattr(case, f) and f != "id_number_masked"},
        "id": case.pk,
        "id_number_masked": mask_id_number(case.id_number),
        "branch_name": case.branch.name,
        "stage_label": str(case.get_stage_display()),
    }


def _detail(case) -> dict:
    steps = [
        {
            "step": row["step"].number,
            "title": str(row["step"].title),
            "done_on": rec.done_on,
            "note": rec.note,
            "warning": rec.warning,
            "people": [p.pk for p in rec.people.all()],
            "data": rec.data,
        }
        for row in selectors.timeline(case)
        for rec in row["records"]
    ]
    return {**_out(case), "steps": steps}


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="Development cases in scope, by stage")
@api_perm("development.view")
def case_list(request, stage: str = "", q: str = "", limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    qs = selectors.case_list(user=request.auth, stage=stage if stage in Stage.values else "", q=q[:40])
    return [_out(c) for c in qs[offset : offset + limit]]


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, summary="One case with its steps")
@api_perm("development.view")
def case_detail(request, case_id: int):
    return _detail(get_case_for_user_or_404(request.auth, case_id))


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="Register an application (step 1)")
@api_perm("development.manage")
def case_create(request, payload: CaseIn):
    data = payload.dict()
    branch = get_org_for_user_or_404(request.auth, data.pop("branch_id"), "development.manage")
    if branch.kind not in BRANCH_KINDS:
        raise Http404
    case = services.development_case_create(actor=request.auth, branch=branch, **data)
    return 201, _out(case)


@router.post("/cases/{case_id}/steps", response={201: StepOut, **ERRORS}, summary="Record one of steps 2-25")
@api_perm("development.manage")
def step_record(request, case_id: int, payload: StepIn):
    case = get_case_for_user_or_404(request.auth, case_id)
    services.DEVELOPMENT_FLOW.expect_version(case, payload.version)
    people = list(members_visible_to(request.auth, "development.manage").filter(pk__in=payload.people))
    if len(people) != len(set(payload.people)):
        raise Http404
    data = {
        k: v
        for k, v in payload.dict().items()
        if k in ("yes_votes", "training_days", "training_hours", "conclusion") and v is not None
    }
    rec = services.development_record_step(
        actor=request.auth,
        case=case,
        step=payload.step,
        done_on=payload.done_on,
        note=payload.note,
        people=people,
        data=data,
    )
    return 201, {
        "step": rec.step,
        "title": str(rec.definition.title),
        "done_on": rec.done_on,
        "note": rec.note,
        "warning": rec.warning,
        "people": [p.pk for p in people],
        "data": rec.data,
    }


@router.post("/cases/{case_id}/extend", response={200: CaseOut, **ERRORS}, summary="Extend probation (once)")
@api_perm("development.manage")
def extend(request, case_id: int, payload: ExtendIn):
    case = get_case_for_user_or_404(request.auth, case_id)
    services.DEVELOPMENT_FLOW.expect_version(case, payload.version)
    fields = payload.dict(exclude={"version"})
    return _out(services.development_extend_probation(actor=request.auth, case=case, **fields))


@router.post("/cases/{case_id}/close", response={200: CaseOut, **ERRORS}, summary="Close a case")
@api_perm("development.manage")
def close(request, case_id: int, payload: CloseIn):
    case = get_case_for_user_or_404(request.auth, case_id)
    services.DEVELOPMENT_FLOW.expect_version(case, payload.version)
    return _out(services.development_case_close(actor=request.auth, case=case, reason=payload.reason))


@router.get("/due", response={200: DueOut, **ERRORS}, summary="Due lists of a secretary")
@api_perm("development.manage")
def due(request):
    user = request.auth
    return {
        "reviews_due": [_out(c) for c in selectors.reviews_due(user=user)[:100]],
        "candidates_ready": [_out(c) for c in selectors.candidates_ready(user=user)[:100]],
        "probations_ending": [_out(c) for c in selectors.probations_ending(user=user)[:100]],
    }
