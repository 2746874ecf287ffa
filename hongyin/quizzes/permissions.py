"""Who sees what of the quizzes.

- The bank is the zone's: read by those who make papers (`quizzes.manage`), written by the zone (`quizzes.bank`).
- A paper is managed inside the scope of its publishing organization; it is open to the members of its target
  organizations (their subtrees); the results of a paper are seen by the party roles whose scope meets a target.
- A member sees only its own attempts; a secretary (or committee above) grades the attempts of the members of its
  scope (`quizzes.grade`).
"""

from django.db.models import Q, QuerySet

from hongyin.common.permissions import ScopeFields, get_or_404, scope_q
from hongyin.common.roles import roles_with
from hongyin.orgs.models import Organization

from .models import Answer, Attempt, Paper, Question

TAKE, BANK, MANAGE, GRADE, RESULTS = (
    "quizzes.take",
    "quizzes.bank",
    "quizzes.manage",
    "quizzes.grade",
    "quizzes.results",
)
PAPER_SCOPE = ScopeFields(org="org")
ATTEMPT_SCOPE = ScopeFields(org="member__org")


def ancestor_paths(path: str) -> list[str]:
    """The path of an organization and those of all its ancestors."""
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def questions_visible_to(user) -> QuerySet[Question]:
    if not (user.has_role_perm(MANAGE) or user.has_role_perm(BANK)):
        return Question.objects.none()
    return Question.objects.all()


def papers_managed_by(user) -> QuerySet[Paper]:
    q = scope_q(user, MANAGE, PAPER_SCOPE)
    return Paper.objects.none() if q is None else Paper.objects.filter(q)


def _scope_paths(user, perm: str) -> list[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    allowed = roles_with(perm)
    return [a.org.path for a in user.assignments if a.role in allowed and getattr(a, "org_id", None)]


def papers_for_results(user) -> QuerySet[Paper]:
    """Papers one of whose target organizations lies inside the user's scope, or above it."""
    q = None
    for path in _scope_paths(user, RESULTS):
        part = Q(targets__path__in=ancestor_paths(path)) | Q(targets__path__startswith=path)
        q = part if q is None else q | part
    if q is None:
        return Paper.objects.none()
    return Paper.objects.filter(pk__in=Paper.objects.filter(q).values("pk"))


def papers_for_member(member) -> QuerySet[Paper]:
    """Papers open to a member: one of the targets is its branch or above it."""
    if member is None:
        return Paper.objects.none()
    return Paper.objects.filter(
        pk__in=Paper.objects.filter(targets__path__in=ancestor_paths(member.org.path)).values("pk")
    )


def results_paths(user, paper: Paper) -> list[str]:
    """The subtrees whose results `user` sees for `paper`: each target inside the scope, or the scope inside a
    target (without repeats)."""
    out: list[str] = []
    targets = [t.path for t in paper.targets.all()]
    for s in _scope_paths(user, RESULTS):
        for t in targets:
            if t.startswith(s):
                out.append(t)
            elif s.startswith(t):
                out.append(s)
    out = sorted(set(out))
    return [p for p in out if not any(p != o and p.startswith(o) for o in out)]


def attempts_gradable_by(user) -> QuerySet[Attempt]:
    q = scope_q(user, GRADE, ATTEMPT_SCOPE)
    return Attempt.objects.none() if q is None else Attempt.objects.filter(q)


def attempts_visible_to(user) -> QuerySet[Attempt]:
    """One's own attempts, and those one grades."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Attempt.objects.none()
    q = Q(member__user=user)
    graded = scope_q(user, GRADE, ATTEMPT_SCOPE)
    if graded is not None:
        q |= graded
    return Attempt.objects.filter(q)


def get_own_attempt_or_404(user, pk) -> Attempt:
    return get_or_404(lambda: Attempt.objects.select_related("paper", "member__org").get(pk=pk, member__user=user))


def get_attempt_or_404(user, pk) -> Attempt:
    return get_or_404(lambda: attempts_visible_to(user).select_related("paper", "member__org").get(pk=pk))


def get_answer_to_grade_or_404(user, pk) -> Answer:
    return get_or_404(
        lambda: Answer.objects.select_related("item__question", "attempt__paper", "attempt__member__org").get(
            pk=pk, attempt__in=attempts_gradable_by(user)
        )
    )
