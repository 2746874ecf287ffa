"""API of the party-spirit check-up: the questionnaire, the member's own check-up (read, save, submit), a branch's
completion and average, a check-up of the branch with its review, a new questionnaire version (the zone)."""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.common.permissions import get_or_404
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import Checkup

router = Router(tags=["checkup"])
ROUTERS = {"/checkup": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ItemOut(Schema):
    id: int
    text: str


class DimensionOut(Schema):
    name: str
    items: list[ItemOut]


class QuestionnaireOut(Schema):
    id: int
    version: int
    title: str
    dimensions: list[DimensionOut]


class CheckupOut(Schema):
    id: int | None
    member_id: int | None
    year: int
    status: str
    status_label: str
    version: int
    questionnaire_id: int | None
    answers: dict[str, int]
    review: dict[str, int]
    self_scores: dict[str, float]
    review_scores: dict[str, float]
    branch_average: dict[str, float]
    self_summary: str
    review_comment: str
    submitted_at: datetime | None


class CheckupIn(Schema):
    answers: dict[str, int | None] = Field(description="item id -> score 1..5")
    summary: str = Field("", max_length=5000)
    submit: bool = False
    version: int | None = None


class ReviewIn(Schema):
    scores: dict[str, int | None] = Field(default_factory=dict, description="item id -> score 1..5")
    comment: str = Field(max_length=5000)
    version: int


class BranchRow(Schema):
    member_id: int
    member_name: str
    checkup_id: int | None
    status: str


class BranchOut(Schema):
    org_id: int
    year: int
    members: int
    done: int
    reviewed: int
    average: dict[str, float]
    rows: list[BranchRow]


class QuestionnaireIn(Schema):
    title: str = Field(max_length=120)
    note: str = Field("", max_length=300)
    dimensions: list[tuple[str, list[str]]]


def _q(q) -> dict:
    return {
        "id": q.pk,
        "version": q.version,
        "title": q.title,
        "dimensions": [
            {"name": d.name, "items": [{"id": i.pk, "text": i.text} for i in d.items.all()]} for d in q.dimensions.all()
        ],
    }


def _out(c: Checkup | None, member, year: int) -> dict:
    if c is None:
        return {
            "id": None,
            "member_id": member.pk if member is not None else None,
            "year": year,
            "status": "none",
            "status_label": "",
            "version": 0,
            "questionnaire_id": None,
            "answers": {},
            "review": {},
            "self_scores": {},
            "review_scores": {},
            "branch_average": {},
            "self_summary": "",
            "review_comment": "",
            "submitted_at": None,
        }
    answers = list(c.answers.all())
    return {
        "id": c.pk,
        "member_id": c.member_id,
        "year": c.year,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "version": c.version,
        "questionnaire_id": c.questionnaire_id,
        "answers": {str(a.item_id): a.self_score for a in answers},
        "review": {str(a.item_id): a.review_score for a in answers if a.review_score is not None},
        "self_scores": c.self_scores or {},
        "review_scores": c.review_scores or {},
        "branch_average": selectors.branch_average(c.org_id, c.year) if c.status != "draft" else {},
        "self_summary": c.self_summary,
        "review_comment": c.review_comment,
        "submitted_at": c.submitted_at,
    }


@router.get("/questionnaire", response={200: QuestionnaireOut, **ERRORS}, summary="The current questionnaire")
@api_perm("checkup.view")
def questionnaire_current(request):
    q = selectors.current_questionnaire()
    if q is None:
        raise Http404
    return _q(q)


@router.post("/questionnaires", response={201: QuestionnaireOut, **ERRORS}, summary="Publish a new version")
@api_perm("checkup.configure")
def questionnaire_create(request, payload: QuestionnaireIn):
    q = services.questionnaire_create(
        actor=request.auth, title=payload.title, note=payload.note, dimensions=payload.dimensions
    )
    return 201, _q(selectors.questionnaire(q.pk))


def _member(request, *, required: bool = True):
    member = selectors.own_member(request.auth)
    if member is None and required:
        raise Http404
    return member


@router.get("/mine", response={200: CheckupOut, **ERRORS}, summary="The member's own check-up of a year")
@api_perm("checkup.view")
def mine(request, year: int | None = None):
    member = _member(request, required=False)  # an account without a member record has no check-up
    year = year or timezone.localdate().year
    if member is None:
        return _out(None, None, year)
    return _out(Checkup.objects.filter(member=member, year=year).first(), member, year)


@router.get("/mine/history", response={200: list[CheckupOut], **ERRORS}, summary="The member's check-ups by year")
@api_perm("checkup.view")
def mine_history(request):
    member = _member(request, required=False)
    if member is None:
        return []
    checkups = Checkup.objects.filter(member=member).prefetch_related("answers").order_by("-year")
    return [_out(c, member, c.year) for c in checkups]


@router.put("/mine", response={200: CheckupOut, **ERRORS}, summary="Save (or submit) this year's own check-up")
@api_perm("checkup.view")
def mine_save(request, payload: CheckupIn):
    member = _member(request)
    c = services.checkup_save(
        actor=request.auth,
        member=member,
        year=timezone.localdate().year,
        scores=payload.answers,
        summary=payload.summary,
        submit=payload.submit,
        version=payload.version,
    )
    return _out(c, member, c.year)


@router.get("/branch", response={200: BranchOut, **ERRORS}, summary="A branch's completion and average of a year")
@api_perm("checkup.review")
def branch(request, org_id: int | None = None, year: int | None = None):
    year = year or timezone.localdate().year
    if org_id is None:
        orgs = selectors.review_orgs(request.auth)
        if not orgs:
            raise Http404
        org = orgs[0]
    else:
        org = get_org_for_user_or_404(request.auth, org_id, selectors.REVIEW)
    s = selectors.branch_status(request.auth, org, year)
    return {
        "org_id": org.pk,
        "year": year,
        "members": s.total,
        "done": s.done,
        "reviewed": s.reviewed,
        "average": s.average,
        "rows": [
            {
                "member_id": m.pk,
                "member_name": m.name,
                "checkup_id": c.pk if c else None,
                "status": c.status if c else "none",
            }
            for m, c in s.rows
        ],
    }


@router.get("/{checkup_id}", response={200: CheckupOut, **ERRORS}, summary="A check-up of the reviewer's branches")
@api_perm("checkup.review")
def detail(request, checkup_id: int):
    c = get_or_404(lambda: selectors.checkup_for_user(request.auth, checkup_id))
    return _out(c, c.member, c.year)


@router.post("/{checkup_id}/review", response={200: CheckupOut, **ERRORS}, summary="The branch's review")
@api_perm("checkup.review")
def review(request, checkup_id: int, payload: ReviewIn):
    c = get_or_404(lambda: selectors.checkup_for_user(request.auth, checkup_id))
    c = services.checkup_review(
        actor=request.auth, checkup=c, scores=payload.scores, comment=payload.comment, version=payload.version
    )
    return _out(c, c.member, c.year)
