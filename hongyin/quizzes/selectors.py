"""Reads of the quizzes: a member's open papers and attempts, the bank, the answers waiting for grading, and the
results of a paper per branch (participation, pass rate, average score)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization

from .models import Answer, Attempt, AttemptStatus, Paper, Question, QuestionKind
from .permissions import attempts_gradable_by, papers_for_member, results_paths


@dataclass
class OpenPaper:
    paper: Paper
    used: int
    best: int | None
    passed: bool
    current: Attempt | None

    @property
    def left(self) -> int:
        return max(self.paper.max_attempts - self.used, 0)


def open_papers(member, now: datetime | None = None) -> list[OpenPaper]:
    """The papers a member may take now, with its attempts so far (two queries)."""
    if member is None:
        return []
    now = now or timezone.now()
    papers = list(papers_for_member(member).filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk"))
    attempts = defaultdict(list)
    for a in Attempt.objects.filter(member=member, paper__in=papers).order_by("number"):
        attempts[a.paper_id].append(a)
    out = []
    for p in papers:
        mine = attempts[p.pk]
        scores = [a.score for a in mine if a.score is not None]
        current = next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS and a.deadline > now), None)
        out.append(OpenPaper(p, len(mine), max(scores) if scores else None, any(a.passed for a in mine), current))
    return out


def my_attempts(member) -> QuerySet[Attempt]:
    if member is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(member=member).select_related("paper").order_by("-started_at")


@dataclass
class BankFilter:
    kind: str = ""
    tag: str = ""
    difficulty: int | None = None
    q: str = ""
    inactive: bool = False


def bank(filters: BankFilter) -> QuerySet[Question]:
    qs = Question.objects.filter(active=not filters.inactive)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.tag:
        qs = qs.filter(tags__icontains=f",{filters.tag},")
    if filters.difficulty:
        qs = qs.filter(difficulty=filters.difficulty)
    if filters.q:
        qs = qs.filter(stem__icontains=filters.q)
    return qs.order_by("-pk")


def bank_tags(limit: int = 60) -> list[tuple[str, int]]:
    """The tags in use, most used first."""
    counts: dict[str, int] = defaultdict(int)
    for tags in Question.objects.filter(active=True).values_list("tags", flat=True):
        for t in tags.split(","):
            if t:
                counts[t] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def answers_to_grade(user) -> QuerySet[Answer]:
    """Short answers handed in and not graded yet, of the attempts the user grades."""
    return (
        Answer.objects.filter(
            attempt__in=attempts_gradable_by(user),
            attempt__status=AttemptStatus.SUBMITTED,
            item__question__kind=QuestionKind.SHORT,
            points__isnull=True,
        )
        .select_related("item__question", "attempt__paper", "attempt__member__org")
        .order_by("attempt__submitted_at", "item__position")
    )


@dataclass
class BranchResult:
    org: Organization
    members: int = 0
    took: int = 0
    passed: int = 0
    score_sum: int = 0
    scored: int = 0

    @property
    def participation(self) -> float | None:
        return None if not self.members else round(100 * min(self.took, self.members) / self.members, 1)

    @property
    def pass_rate(self) -> float | None:
        return None if not self.took else round(100 * self.passed / self.took, 1)

    @property
    def average(self) -> float | None:
        return None if not self.scored else round(self.score_sum / self.scored, 1)


@dataclass
class PaperResults:
    paper: Paper
    rows: list[BranchResult] = field(default_factory=list)
    total: BranchResult | None = None


def paper_results(user, paper: Paper) -> PaperResults:
    """Per branch in the part of the paper's targets the user sees: its members, those who handed in an answer sheet
    (participation), those who passed (pass rate among participants), and the average of each one's best score.
    Four queries, whatever the number of branches."""
    paths = results_paths(user, paper)
    result = PaperResults(paper)
    if not paths:
        result.total = BranchResult(org=paper.org)
        return result
    under = Q()
    for p in paths:
        under |= Q(path__startswith=p)
    branch_qs = Organization.objects.filter(under, kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
    branches = {o.pk: BranchResult(org=o) for o in branch_qs.order_by("path")}
    for row in (
        Member.objects.filter(org__in=branch_qs.values("pk"), left_on__isnull=True)
        .values("org_id")
        .annotate(n=Count("pk"))
    ):
        branches[row["org_id"]].members = row["n"]
    attempt_under = Q()
    for p in paths:
        attempt_under |= Q(member__org__path__startswith=p)
    per_member = (
        Attempt.objects.filter(attempt_under, paper=paper, submitted_at__isnull=False)
        .values("member_id", "member__org_id")
        .annotate(best=Max("score"), passes=Count("pk", filter=Q(passed=True)))
    )
    for row in per_member:
        b = branches.get(row["member__org_id"])
        if b is None:
            continue
        b.took += 1
        b.passed += 1 if row["passes"] else 0
        if row["best"] is not None:
            b.score_sum += row["best"]
            b.scored += 1
    result.rows = list(branches.values())
    total = BranchResult(org=paper.org)
    for b in result.rows:
        total.members += b.members
        total.took += b.took
        total.passed += b.passed
        total.score_sum += b.score_sum
        total.scored += b.scored
    result.total = total
    return result


def wrong_answers(attempt: Attempt) -> list[Answer]:
    return [a for a in review(attempt) if a.correct is False or (a.points is not None and a.points < a.item.points)]


def review(attempt: Attempt) -> list[Answer]:
    return list(attempt.answers.select_related("item__question").order_by("item__position"))
