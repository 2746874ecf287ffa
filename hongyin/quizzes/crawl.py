"""Permission-crawler samples (hongyin.common.crawl): a paper for the canary branch only (the zone sees its results,
no member of the demo takes it) and the demo zone's open paper; the demo member's own attempt and a canary member's
attempt with a short answer to grade; a question of the bank; numbers that exist nowhere."""

from datetime import timedelta

from django.utils import timezone

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9


def _made(ctx):
    from . import services
    from .models import Answer, Paper, QuestionKind
    from .services import QuestionData

    made = getattr(ctx, "_quizzes", None)
    if made is not None:
        return made
    now = timezone.now()
    short = services.question_create(
        actor=None,
        data=QuestionData(
            kind=QuestionKind.SHORT,
            stem="简述支部党员大会的职责。",
            options=[],
            answer=[],
            reference="讨论决定重要事项。",
        ),
    )
    single = services.question_create(
        actor=None,
        data=QuestionData(kind=QuestionKind.SINGLE, stem="预备期为？", options=["一年", "两年"], answer=[0]),
    )
    common = dict(
        actor=None,
        time_limit=30,
        pass_mark=5,
        max_attempts=3,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
        question_ids=[short.pk, single.pk],
        hand_points=5,
    )
    canary_paper = services.paper_create(
        org=ctx.canary.branch, title=f"{ctx.canary.branch.name}测试卷", targets=[ctx.canary.branch], **common
    )
    ctx.canary.names[canary_paper.title] = {"zone_admin", "audit_admin"}
    zone_paper = Paper.objects.filter(org=ctx.zone.root).order_by("-closes_at").first() or services.paper_create(
        org=ctx.zone.root, title="全区测试卷", targets=[ctx.zone.root], **common
    )
    canary_attempt = services.attempt_start(actor=None, paper=canary_paper, member=ctx.canary.member)
    services.attempt_submit(actor=None, attempt=canary_attempt, responses={})
    mine = services.member_of(ctx.users["member"])
    own = services.attempt_start(actor=None, paper=zone_paper, member=mine)
    answer = Answer.objects.get(attempt=canary_attempt, item__question=short)
    made = {"papers": [canary_paper, zone_paper], "attempts": [canary_attempt, own], "answer": answer, "q": short}
    ctx._quizzes = made
    return made


@crawl_samples(
    "quizzes:paper",
    "quizzes:start",
    "POST /api/v1/quizzes/papers/{paper_id}/attempts",
)
def paper_samples(ctx):
    from .permissions import papers_for_member
    from .services import member_of

    def visible(user, *_a):
        return papers_for_member(member_of(user))

    out = [Sample({"pk": MISSING, "paper_id": MISSING}, set())]
    for p in _made(ctx)["papers"]:
        out.append(Sample({"pk": p.pk, "paper_id": p.pk}, ctx.scoped(visible, p.pk, takes_perm=False)))
    return out


@crawl_samples(
    "quizzes:paper_admin",
    "quizzes:results",
    "GET /api/v1/quizzes/papers/{paper_id}/results",
)
def results_samples(ctx):
    from .permissions import papers_for_results

    def visible(user, *_a):
        return papers_for_results(user)

    out = [Sample({"pk": MISSING, "paper_id": MISSING}, set())]
    for p in _made(ctx)["papers"]:
        out.append(Sample({"pk": p.pk, "paper_id": p.pk}, ctx.scoped(visible, p.pk, takes_perm=False)))
    return out


@crawl_samples("quizzes:paper_close")
def close_samples(ctx):
    from .permissions import papers_managed_by

    out = [Sample({"pk": MISSING}, set())]
    for p in _made(ctx)["papers"]:
        out.append(Sample({"pk": p.pk}, ctx.scoped(lambda u, *_a: papers_managed_by(u), p.pk, takes_perm=False)))
    return out


@crawl_samples(
    "quizzes:attempt",
    "quizzes:submit",
    "GET /api/v1/quizzes/attempts/{attempt_id}",
    "POST /api/v1/quizzes/attempts/{attempt_id}/submit",
)
def attempt_samples(ctx):
    from .models import Attempt

    def own(user, *_a):
        return Attempt.objects.filter(member__user=user) if user.is_authenticated else Attempt.objects.none()

    out = [Sample({"pk": MISSING, "attempt_id": MISSING}, set())]
    for a in _made(ctx)["attempts"]:
        out.append(Sample({"pk": a.pk, "attempt_id": a.pk}, ctx.scoped(own, a.pk, takes_perm=False)))
    return out


@crawl_samples("quizzes:grade", "POST /api/v1/quizzes/answers/{answer_id}/grade")
def grade_samples(ctx):
    from .models import Answer
    from .permissions import attempts_gradable_by

    def visible(user, *_a):
        return Answer.objects.filter(attempt__in=attempts_gradable_by(user))

    answer = _made(ctx)["answer"]
    return [
        Sample({"pk": MISSING, "answer_id": MISSING}, set()),
        Sample({"pk": answer.pk, "answer_id": answer.pk}, ctx.scoped(visible, answer.pk, takes_perm=False)),
    ]


@crawl_samples("quizzes:question_edit", "quizzes:question_active")
def question_samples(ctx):
    q = _made(ctx)["q"]
    return [Sample({"pk": MISSING}, set()), Sample({"pk": q.pk}, ctx.with_perm())]
