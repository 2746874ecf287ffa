"""API of the quizzes: the same services and scoping as the pages. A member sees only its own attempts; the
questions of a paper come with an attempt (without their answers until it is handed in)."""

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.common.permissions import get_or_404

from . import selectors, services
from .models import AttemptStatus, Difficulty, QuestionKind
from .permissions import (
    get_answer_to_grade_or_404,
    get_own_attempt_or_404,
    papers_for_member,
    papers_for_results,
    questions_visible_to,
)

router = Router(tags=["quizzes"])
ROUTERS = {"/quizzes": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class PaperOut(Schema):
    id: int
    title: str
    description: str
    org_id: int
    time_limit: int = Field(description="minutes")
    pass_mark: int
    total: int
    max_attempts: int
    opens_at: datetime
    closes_at: datetime
    questions: int
    attempts_used: int
    best_score: int | None
    passed: bool


class QuestionOut(Schema):
    item_id: int
    position: int
    points: int
    kind: str
    kind_label: str
    stem: str
    options: list[str]


class ReviewOut(QuestionOut):
    choice: list[int]
    text: str
    correct: bool | None
    points_got: int | None
    answer: list[int]
    reference: str
    explanation: str
    comment: str


class AttemptOut(Schema):
    id: int
    paper_id: int
    paper_title: str
    number: int
    status: str
    status_label: str
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    score: int | None
    passed: bool | None
    seconds_left: int
    questions: list[QuestionOut] = Field(description="while the attempt runs, without answers")
    review: list[ReviewOut] = Field(description="after hand-in: every answer with the right one and its explanation")


class QuizAnswerIn(Schema):
    item_id: int
    choice: list[int] = Field(default_factory=list, description="option indices (0 = A); true/false: [1] or [0]")
    text: str = Field("", max_length=5000, description="a short answer")


class SubmitIn(Schema):
    answers: list[QuizAnswerIn]


class BranchResultOut(Schema):
    org_id: int
    org_name: str
    members: int
    took: int
    passed: int
    participation: float | None = Field(description="percent of the branch's members who handed in")
    pass_rate: float | None = Field(description="percent of those who handed in who passed")
    average: float | None = Field(description="average of each participant's best score")


class ResultsOut(Schema):
    paper_id: int
    total: BranchResultOut
    branches: list[BranchResultOut]


class GradeIn(Schema):
    points: int
    comment: str = Field("", max_length=300)


class ToGradeOut(Schema):
    answer_id: int
    attempt_id: int
    member_name: str
    org_name: str
    paper_title: str
    position: int
    stem: str
    reference: str
    text: str
    max_points: int


class BankQuestionOut(Schema):
    id: int
    kind: str
    stem: str
    options: list[str]
    answer: list[int]
    reference: str
    explanation: str
    tags: list[str]
    difficulty: int
    active: bool
    version: int


class BankQuestionIn(Schema):
    kind: QuestionKind
    stem: str = Field(max_length=2000)
    options: list[str] = Field(default_factory=list)
    answer: list[int] = Field(default_factory=list, description="option indices; true/false: [1] or [0]")
    reference: str = Field("", max_length=2000)
    explanation: str = Field("", max_length=2000)
    tags: list[str] = Field(default_factory=list)
    difficulty: Difficulty = Difficulty.MEDIUM


def _question(item) -> dict:
    q = item.question
    return {
        "item_id": item.pk,
        "position": item.position,
        "points": item.points,
        "kind": q.kind,
        "kind_label": str(q.get_kind_display()),
        "stem": q.stem,
        "options": q.options,
    }


def _attempt(a, *, detail: bool = True) -> dict:
    now = timezone.now()
    out = {
        "id": a.pk,
        "paper_id": a.paper_id,
        "paper_title": a.paper.title,
        "number": a.number,
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "started_at": a.started_at,
        "deadline": a.deadline,
        "submitted_at": a.submitted_at,
        "score": a.score,
        "passed": a.passed,
        "seconds_left": max(int((a.deadline - now).total_seconds()), 0) if a.status == AttemptStatus.IN_PROGRESS else 0,
        "questions": [],
        "review": [],
    }
    if not detail:
        return out
    if a.status == AttemptStatus.IN_PROGRESS:
        out["questions"] = [_question(i) for i in a.paper.items.select_related("question")]
    else:
        out["review"] = [
            {
                **_question(x.item),
                "choice": x.choice,
                "text": x.text,
                "correct": x.correct,
                "points_got": x.points,
                "answer": x.item.question.answer,
                "reference": x.item.question.reference,
                "explanation": x.item.question.explanation,
                "comment": x.comment,
            }
            for x in selectors.review(a)
        ]
    return out


def _member_paper(request, paper_id):
    member = services.member_of(request.auth)
    return member, get_or_404(lambda: papers_for_member(member).get(pk=paper_id))


@router.get("/papers", response={200: list[PaperOut], **ERRORS}, summary="The papers open to me now")
@api_perm("quizzes.take")
def paper_list(request):
    out = []
    for o in selectors.open_papers(services.member_of(request.auth)):
        p = o.paper
        out.append(
            {
                **{f: getattr(p, f) for f in PaperOut.model_fields if hasattr(p, f)},
                "questions": p.items.count(),
                "attempts_used": o.used,
                "best_score": o.best,
                "passed": o.passed,
            }
        )
    return out


@router.post(
    "/papers/{paper_id}/attempts", response={201: AttemptOut, **ERRORS}, summary="Start (or resume) an attempt"
)
@api_perm("quizzes.take")
def attempt_start(request, paper_id: int):
    member, paper = _member_paper(request, paper_id)
    a = services.attempt_start(actor=request.auth, paper=paper, member=member)
    return 201, _attempt(a)


@router.get("/attempts", response={200: list[AttemptOut], **ERRORS}, summary="My attempts")
@api_perm("quizzes.take")
def my_attempts(request, limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = selectors.my_attempts(services.member_of(request.auth))[offset : offset + limit]
    return [_attempt(a, detail=False) for a in qs]


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS}, summary="One of my attempts")
@api_perm("quizzes.take")
def attempt_detail(request, attempt_id: int):
    return _attempt(get_own_attempt_or_404(request.auth, attempt_id))


@router.post("/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS}, summary="Hand in the answers")
@api_perm("quizzes.take")
def attempt_submit(request, attempt_id: int, payload: SubmitIn):
    a = get_own_attempt_or_404(request.auth, attempt_id)
    kinds = dict(a.paper.items.values_list("pk", "question__kind"))
    responses = {
        x.item_id: (x.text if kinds.get(x.item_id) == QuestionKind.SHORT else x.choice) for x in payload.answers
    }
    services.attempt_submit(actor=request.auth, attempt=a, responses=responses)
    return _attempt(a)  # the service set its state, score and result


def _branch(b) -> dict:
    return {
        "org_id": b.org.pk,
        "org_name": b.org.name,
        "members": b.members,
        "took": b.took,
        "passed": b.passed,
        "participation": b.participation,
        "pass_rate": b.pass_rate,
        "average": b.average,
    }


@router.get("/papers/{paper_id}/results", response={200: ResultsOut, **ERRORS}, summary="Results per branch")
@api_perm("quizzes.results")
def results(request, paper_id: int):
    paper = get_or_404(lambda: papers_for_results(request.auth).get(pk=paper_id))
    found = selectors.paper_results(request.auth, paper)
    return {"paper_id": paper.pk, "total": _branch(found.total), "branches": [_branch(b) for b in found.rows]}


@router.get("/grading", response={200: list[ToGradeOut], **ERRORS}, summary="Short answers to grade")
@api_perm("quizzes.grade")
def to_grade(request, limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return [
        {
            "answer_id": x.pk,
            "attempt_id": x.attempt_id,
            "member_name": x.attempt.member.name,
            "org_name": x.attempt.member.org.name,
            "paper_title": x.attempt.paper.title,
            "position": x.item.position,
            "stem": x.item.question.stem,
            "reference": x.item.question.reference,
            "text": x.text,
            "max_points": x.item.points,
        }
        for x in selectors.answers_to_grade(request.auth)[offset : offset + limit]
    ]


@router.post("/answers/{answer_id}/grade", response={200: dict, **ERRORS}, summary="Grade a short answer")
@api_perm("quizzes.grade")
def grade(request, answer_id: int, payload: GradeIn):
    answer = get_answer_to_grade_or_404(request.auth, answer_id)
    answer = services.answer_grade(
        actor=request.auth, answer=answer, points_given=payload.points, comment=payload.comment
    )
    attempt = answer.attempt
    attempt.refresh_from_db()
    return {"answer_id": answer.pk, "points": answer.points, "attempt_status": attempt.status, "score": attempt.score}


def _bank_out(q) -> dict:
    return {
        **{f: getattr(q, f) for f in BankQuestionOut.model_fields if hasattr(q, f) and f != "tags"},
        "tags": q.tag_list,
    }


@router.get("/questions", response={200: list[BankQuestionOut], **ERRORS}, summary="The question bank")
@api_perm("quizzes.manage")
def question_list(
    request, kind: str = "", tag: str = "", difficulty: int | None = None, limit: int = 50, offset: int = 0
):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    filters = selectors.BankFilter(
        kind=kind if kind in QuestionKind.values else "", tag=tag[:20], difficulty=difficulty
    )
    qs = selectors.bank(filters).filter(pk__in=questions_visible_to(request.auth).values("pk"))
    return [_bank_out(q) for q in qs[offset : offset + limit]]


@router.post("/questions", response={201: BankQuestionOut, **ERRORS}, summary="Add a question to the bank")
@api_perm("quizzes.bank")
def question_create(request, payload: BankQuestionIn):
    data = services.QuestionData(**{**payload.dict(), "kind": str(payload.kind), "difficulty": int(payload.difficulty)})
    return 201, _bank_out(services.question_create(actor=request.auth, data=data))
