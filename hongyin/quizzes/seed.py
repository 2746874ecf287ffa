"""The demo quizzes (issue 12, item 10): a 200-question bank on party knowledge (bank_data), four papers of the zone
(three closed ones drawn by rule, one open now with a short answer), attempts of many members (most branches take
part, some lag), the short answers of the open paper graded in most branches and waiting in the demo secretary's,
and the points of every passed paper (hongyin.points award_many, once per member and paper).

The demo member (陈静) has not taken the open paper: the journey takes it. Idempotent: an existing bank is kept,
papers are made once."""

import random
from datetime import timedelta

from django.utils import timezone

from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.points.services import award_many

from . import services
from .bank_data import FACTS, MULTIPLE, SHORT
from .models import OBJECTIVE_KINDS, Answer, Attempt, AttemptStatus, Paper, Question, QuestionKind

BANK_SIZE = 200


def bank_questions(rng: random.Random) -> list[Question]:
    singles, judges = [], []
    for tag, diff, stem, right, wrong, statement, expl in FACTS:
        options = [right, *wrong]
        rng.shuffle(options)
        singles.append(
            Question(
                kind=QuestionKind.SINGLE,
                stem=stem,
                options=options,
                answer=[options.index(right)],
                explanation=expl,
                tags=f",{tag},",
                difficulty=diff,
            )
        )
        judges.append(
            Question(
                kind=QuestionKind.JUDGE,
                stem=statement.format(right),
                answer=[1],
                explanation=expl,
                tags=f",{tag},",
                difficulty=1,
            )
        )
        judges.append(
            Question(
                kind=QuestionKind.JUDGE,
                stem=statement.format(rng.choice(wrong)),
                answer=[0],
                explanation=expl,
                tags=f",{tag},",
                difficulty=min(diff + 1, 3),
            )
        )
    multiples = [
        Question(kind=QuestionKind.MULTIPLE, stem=s, options=o, answer=a, explanation=e, tags=f",{t},", difficulty=d)
        for t, d, s, o, a, e in MULTIPLE
    ]
    shorts = [
        Question(kind=QuestionKind.SHORT, stem=s, reference=r, explanation=e, tags=f",{t},", difficulty=d)
        for t, d, s, r, e in SHORT
    ]
    return (singles + multiples + shorts + judges)[:BANK_SIZE]


PAPERS = [
    # title, days ago it opened, days open, rules (kind, count, points, tag, difficulty), attempts, pass mark
    ("党章党规应知应会测试", 120, 30, [("single", 6, 10, "党章", None), ("judge", 4, 10, "", None)], 2, 60),
    (
        "“三会一课”制度专题测试",
        75,
        21,
        [("single", 5, 10, "三会一课", None), ("multiple", 1, 20, "", None), ("judge", 3, 10, "", None)],
        1,
        70,
    ),
    (
        "“七一”党史知识竞答",
        40,
        14,
        [("single", 5, 10, "党史", None), ("multiple", 1, 20, "", None), ("judge", 3, 10, "", None)],
        2,
        60,
    ),
]
OPEN = (
    "本月党员应知应会测试",
    [
        ("single", 6, 10, "", None),
        ("multiple", 1, 10, "", None),
        ("judge", 2, 10, "", None),
        ("short", 1, 10, "三会一课", None),
    ],
    2,
    60,
)


def _rules(spec) -> list[services.DrawRule]:
    return [services.DrawRule(kind=k, count=c, points=p, tag=t, difficulty=d) for k, c, p, t, d in spec]


def _answers_for(attempt: Attempt, items, skill: float, rng: random.Random, graded: bool, now) -> list[Answer]:
    out = []
    for item in items:
        q = item.question
        if q.kind in OBJECTIVE_KINDS:
            if rng.random() < skill:
                choice = list(q.answer)
            elif q.kind == QuestionKind.JUDGE:
                choice = [1 - q.answer[0]]
            else:
                wrong = [i for i in range(len(q.options)) if [i] != q.answer]
                choice = [rng.choice(wrong)]
            right = sorted(choice) == sorted(q.answer)
            out.append(
                Answer(attempt=attempt, item=item, choice=choice, correct=right, points=item.points if right else 0)
            )
        else:
            text = "按照条例，" + q.reference[: max(10, int(len(q.reference) * skill))]
            if not graded:
                out.append(Answer(attempt=attempt, item=item, text=text))
            else:
                got = round(item.points * min(1.0, skill + rng.uniform(-0.2, 0.1)))
                out.append(
                    Answer(
                        attempt=attempt,
                        item=item,
                        text=text,
                        points=max(got, 0),
                        correct=got >= item.points,
                        graded_at=now,
                    )
                )
    return out


def _take(paper, members, rng, *, when, grade_short=True, skip=frozenset()):
    """Attempts of members at a paper (one or two each), graded as the services grade, written in two bulk
    INSERTs; returns the passed attempts."""
    items = list(paper.items.select_related("question"))
    attempts, answers, passes = [], [], []
    for member in members:
        if member.pk in skip:
            continue
        skill = rng.betavariate(5, 2)
        tries = 1 if paper.max_attempts == 1 or rng.random() < 0.8 else 2
        start = when(rng)
        for n in range(1, tries + 1):
            started = start + timedelta(hours=20 * (n - 1))
            submitted = started + timedelta(minutes=rng.randint(3, paper.time_limit))
            a = Attempt(
                paper=paper,
                member=member,
                number=n,
                started_at=started,
                deadline=started + timedelta(minutes=paper.time_limit),
                submitted_at=submitted,
                status=AttemptStatus.SUBMITTED,
            )
            mine = _answers_for(a, items, min(skill + 0.1 * (n - 1), 0.98), rng, grade_short, submitted)
            if all(x.points is not None for x in mine):
                a.score = sum(x.points for x in mine)
                a.passed = a.score >= paper.pass_mark
                a.status, a.graded_at = AttemptStatus.GRADED, submitted
                if a.passed:
                    passes.append(a)
            attempts.append(a)
            answers.extend(mine)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=5000)
    return passes


def seed_quizzes(zone, scale: str, rng: random.Random) -> int:
    made = 0
    if not Question.objects.exists():
        made += len(Question.objects.bulk_create(bank_questions(rng)))
    if Paper.objects.filter(org=zone.root).exists():
        return made
    now = timezone.now().replace(second=0, microsecond=0)
    branches = {b.pk: b for b in zone.root.get_descendants().filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)}
    by_branch: dict[int, list] = {}
    for m in Member.objects.filter(org_id__in=list(branches), left_on__isnull=True).only("pk", "org_id", "user_id"):
        by_branch.setdefault(m.org_id, []).append(m)
    demo_member = set(Member.objects.filter(user__username="member").values_list("pk", flat=True))
    secretary_branch = Member.objects.filter(user__username="branch_secretary").values_list("org_id", flat=True).first()
    # each branch's keenness: most take part well, some lag
    keen = {pk: rng.choice([0.95, 0.9, 0.85, 0.8, 0.7, 0.5, 0.3]) for pk in branches}
    passes = []
    for title, ago, days, spec, tries, mark in PAPERS:
        opens = now - timedelta(days=ago)
        paper = services.paper_create(
            actor=None,
            org=zone.root,
            title=title,
            targets=[zone.root],
            time_limit=30,
            pass_mark=mark,
            max_attempts=tries,
            opens_at=opens,
            closes_at=opens + timedelta(days=days),
            rules=_rules(spec),
            rng=rng,
        )
        takers = [m for pk, ms in by_branch.items() for m in ms if rng.random() < keen[pk]]
        passes += _take(
            paper, takers, rng, when=lambda r, o=opens, d=days: o + timedelta(minutes=r.randrange(d * 1440 - 60))
        )
        made += 1
    title, spec, tries, mark = OPEN
    opens = now - timedelta(days=5)
    paper = services.paper_create(
        actor=None,
        org=zone.root,
        title=title,
        description="本月学习重点：《中国共产党支部工作条例（试行）》与“三会一课”制度。限时作答，交卷后可查看错题解析。",
        targets=[zone.root],
        time_limit=20,
        pass_mark=mark,
        max_attempts=tries,
        opens_at=opens,
        closes_at=now + timedelta(days=20),
        rules=_rules(spec),
        rng=rng,
    )
    made += 1
    for pk, ms in by_branch.items():
        takers = [m for m in ms if rng.random() < keen[pk] * 0.6]
        passes += _take(
            paper,
            takers,
            rng,
            when=lambda r: opens + timedelta(minutes=r.randrange(5 * 1440 - 60)),
            grade_short=pk != secretary_branch,
            skip=demo_member,
        )
    if passes:
        award_many(
            [
                {"member": a.member, "action": "quiz_pass", "source": a.paper, "occurred_at": a.submitted_at}
                for a in passes
            ]
        )
    return made + len(passes)
