"""Writes of the quizzes: the question bank, papers drawn from it by rule or by hand, timed attempts (the server
holds the deadline), automatic grading of the objective questions, the secretary's grading of short answers, and
the points of a passed paper (hongyin.points, once per member and paper).

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import check_in_scope
from hongyin.members.models import Member
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.points.services import award as _award

from .models import (
    CHOICE_KINDS,
    OBJECTIVE_KINDS,
    Answer,
    Attempt,
    AttemptStatus,
    Difficulty,
    Paper,
    PaperQuestion,
    Question,
    QuestionKind,
)
from .permissions import BANK, MANAGE, attempts_gradable_by

# an answer sheet sent by the page's own countdown arrives a moment after the deadline: a few seconds of network
GRACE = timedelta(seconds=15)
MAX_OPTIONS = 8
LIMITS = {"stem": 2000, "option": 300, "reference": 2000, "explanation": 2000, "tags": 280, "title": 120}


def _text(value, *, field: str, label, required: bool = False, limit: int = 2000) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit}, field=field)
    if "\x00" in value:
        raise DomainError(_("%(l)s含有无法保存的字符。") % {"l": label}, field=field)
    return value


def normalize_tags(value) -> str:
    """ "党章, 条例；三会一课" -> ",党章,条例,三会一课," (the stored form; one tag is found with icontains)."""
    raw = value if isinstance(value, list | tuple) else str(value or "")
    if isinstance(raw, str):
        for sep in "，；;、 ":
            raw = raw.replace(sep, ",")
        raw = raw.split(",")
    tags = []
    for tag in (str(t).strip() for t in raw):
        if tag and tag not in tags:
            if len(tag) > 20:
                raise DomainError(_("标签“%(t)s”过长（不超过 20 个字）。") % {"t": tag[:20]}, field="tags")
            tags.append(tag)
    joined = "," + ",".join(tags) + "," if tags else ""
    if len(joined) > LIMITS["tags"]:
        raise DomainError(_("标签过多。"), field="tags")
    return joined


# --- the bank -------------------------------------------------------------------------------------------------------


@dataclass
class QuestionData:
    kind: str
    stem: str
    options: list
    answer: list
    reference: str = ""
    explanation: str = ""
    tags: str = ""
    difficulty: int = Difficulty.MEDIUM


def check_question(data: QuestionData) -> QuestionData:
    """The rules of a question, for the form, the API and the import alike."""
    if data.kind not in QuestionKind.values:
        raise DomainError(_("请选择题型。"), field="kind")
    stem = _text(data.stem, field="stem", label=_("题干"), required=True, limit=LIMITS["stem"])
    try:
        difficulty = int(data.difficulty)
    except (TypeError, ValueError):
        difficulty = 0
    if difficulty not in Difficulty.values:
        raise DomainError(_("请选择难度。"), field="difficulty")
    options: list[str] = []
    answer: list[int] = []
    if data.kind in CHOICE_KINDS:
        options = [_text(o, field="options", label=_("选项"), limit=LIMITS["option"]) for o in data.options or []]
        while options and not options[-1]:
            options.pop()
        if len(options) < 2 or "" in options:
            raise DomainError(_("选择题至少需要两个选项，且选项不能为空。"), field="options")
        if len(options) > MAX_OPTIONS:
            raise DomainError(_("选项不能超过 %(n)d 个。") % {"n": MAX_OPTIONS}, field="options")
        try:
            answer = sorted({int(i) for i in data.answer or []})
        except (TypeError, ValueError):
            answer = []
        if not answer or any(i < 0 or i >= len(options) for i in answer):
            raise DomainError(_("请选择正确答案（须是已填写的选项）。"), field="answer")
        if data.kind == QuestionKind.SINGLE and len(answer) != 1:
            raise DomainError(_("单选题只能有一个正确答案。"), field="answer")
        if data.kind == QuestionKind.MULTIPLE and len(answer) < 2:
            raise DomainError(_("多选题至少有两个正确答案。"), field="answer")
    elif data.kind == QuestionKind.JUDGE:
        if list(data.answer or []) not in ([0], [1]):
            raise DomainError(_("请选择判断题的答案（正确或错误）。"), field="answer")
        answer = list(data.answer)
    reference = _text(data.reference, field="reference", label=_("参考答案"), limit=LIMITS["reference"])
    if data.kind == QuestionKind.SHORT and not reference:
        raise DomainError(_("简答题请填写参考答案，供阅卷时对照。"), field="reference")
    return QuestionData(
        kind=data.kind,
        stem=stem,
        options=options,
        answer=answer,
        reference=reference,
        explanation=_text(data.explanation, field="explanation", label=_("解析"), limit=LIMITS["explanation"]),
        tags=normalize_tags(data.tags),
        difficulty=difficulty,
    )


TRUE_WORDS = {"对", "正确", "是", "√", "T", "TRUE", "Y", "1"}
FALSE_WORDS = {"错", "错误", "否", "×", "X", "F", "FALSE", "N", "0"}


def parse_answer(kind: str, text) -> list[int]:
    """The answer as typed (a form, an xlsx cell): letters "A" / "ABD" / "A,C" for choices, 对/错 for true/false."""
    raw = str(text or "").strip().upper().replace("，", ",").replace("、", ",")
    if kind == QuestionKind.JUDGE:
        if raw in TRUE_WORDS:
            return [1]
        if raw in FALSE_WORDS:
            return [0]
        raise DomainError(_("判断题的答案请填写“对”或“错”。"), field="answer")
    if kind in CHOICE_KINDS:
        letters = [c for c in raw if c not in ", "]
        if not letters or any(not ("A" <= c <= "H") for c in letters):
            raise DomainError(_("选择题的答案请填写选项字母，如 A 或 ABD。"), field="answer")
        return sorted({ord(c) - 65 for c in letters})
    return []


def _check_bank(actor) -> None:
    if actor is not None and not actor.has_role_perm(BANK):
        raise NotFound


@transaction.atomic
def question_create(*, actor, data: QuestionData) -> Question:
    _check_bank(actor)
    data = check_question(data)
    q = Question.objects.create(**vars(data), created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor=actor, action="quiz.question_create", obj=q, details={"kind": q.kind})
    return q


@transaction.atomic
def question_update(*, actor, question: Question, data: QuestionData, version: int | None) -> Question:
    """Edit a question. Papers already taken keep scoring by the answer they were taken with only while it is
    unchanged, so a question on a paper with answer sheets keeps its kind and answer."""
    _check_bank(actor)
    data = check_question(data)
    if version is not None and version != question.version:
        raise DomainError(_("该试题已被他人修改，请刷新后重试。"), field="version")
    taken = Answer.objects.filter(item__question=question).exists()
    if taken and (data.kind != question.kind or data.answer != question.answer or data.options != question.options):
        raise DomainError(_("该试题已有人作答，不能再修改题型、选项和答案；如需修改，请停用后新增一道题。"))
    for name, value in vars(data).items():
        setattr(question, name, value)
    changed = Question.objects.filter(pk=question.pk, version=question.version).update(
        **vars(data), version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise DomainError(_("该试题已被他人修改，请刷新后重试。"), field="version")
    question.version += 1
    audit.record(actor=actor, action="quiz.question_update", obj=question, details={"kind": question.kind})
    return question


@transaction.atomic
def question_set_active(*, actor, question: Question, active: bool) -> Question:
    _check_bank(actor)
    Question.objects.filter(pk=question.pk).update(active=active, version=F("version") + 1)
    question.refresh_from_db()
    audit.record(actor=actor, action="quiz.question_enable" if active else "quiz.question_disable", obj=question)
    return question


def questions_import(*, actor, rows: list[QuestionData]) -> int:
    """The import's commit (inside the pipeline's transaction): every row already checked."""
    _check_bank(actor)
    made = Question.objects.bulk_create(
        Question(**vars(check_question(r)), created_by=actor if getattr(actor, "is_authenticated", False) else None)
        for r in rows
    )
    audit.record(actor=actor, action="quiz.question_import", details={"count": len(made)})
    return len(made)


# --- papers ---------------------------------------------------------------------------------------------------------


@dataclass
class DrawRule:
    kind: str
    count: int
    points: int
    tag: str = ""
    difficulty: int | None = None

    def describe(self) -> str:
        parts = [str(QuestionKind(self.kind).label)]
        if self.tag:
            parts.append(_("标签“%(t)s”") % {"t": self.tag})
        if self.difficulty:
            parts.append(_("难度“%(d)s”") % {"d": Difficulty(self.difficulty).label})
        return "、".join(parts)


def _check_rule(rule: DrawRule) -> DrawRule:
    if rule.kind not in QuestionKind.values:
        raise DomainError(_("抽题规则：请选择题型。"), field="rules")
    if not (1 <= int(rule.count) <= 200):
        raise DomainError(_("抽题规则：题数应在 1 到 200 之间。"), field="rules")
    if not (1 <= int(rule.points) <= 100):
        raise DomainError(_("抽题规则：每题分值应在 1 到 100 之间。"), field="rules")
    if rule.difficulty not in (None, *Difficulty.values):
        raise DomainError(_("抽题规则：难度不正确。"), field="rules")
    rule.tag = str(rule.tag or "").strip()[:20]
    return rule


def draw(rules: list[DrawRule], rng: random.Random, exclude: set[int] = frozenset()) -> list[tuple[int, int]]:
    """(question id, points) drawn by the rules, each question once; refused when the bank has too few."""
    chosen: list[tuple[int, int]] = []
    taken = set(exclude)
    for rule in rules:
        qs = Question.objects.filter(active=True, kind=rule.kind)
        if rule.tag:
            qs = qs.filter(tags__icontains=f",{rule.tag},")
        if rule.difficulty:
            qs = qs.filter(difficulty=rule.difficulty)
        pool = [pk for pk in qs.order_by("pk").values_list("pk", flat=True) if pk not in taken]
        if len(pool) < rule.count:
            raise DomainError(
                _("题库中符合条件（%(r)s）的题目只有 %(n)d 道，不足 %(c)d 道。")
                % {"r": rule.describe(), "n": len(pool), "c": rule.count},
                field="rules",
            )
        for pk in rng.sample(pool, rule.count):
            taken.add(pk)
            chosen.append((pk, rule.points))
    return chosen


def _check_paper_fields(*, title, time_limit, pass_mark, max_attempts, opens_at, closes_at) -> str:
    title = _text(title, field="title", label=_("试卷名称"), required=True, limit=LIMITS["title"])
    if not (1 <= int(time_limit or 0) <= 600):
        raise DomainError(_("答题时限应在 1 到 600 分钟之间。"), field="time_limit")
    if not (1 <= int(max_attempts or 0) <= 20):
        raise DomainError(_("允许答题次数应在 1 到 20 之间。"), field="max_attempts")
    if int(pass_mark or 0) < 1:
        raise DomainError(_("请填写及格分。"), field="pass_mark")
    if opens_at is None or closes_at is None:
        raise DomainError(_("请填写开放时间段。"), field="opens_at")
    if closes_at <= opens_at:
        raise DomainError(_("截止时间应晚于开始时间。"), field="closes_at")
    return title


@transaction.atomic
def paper_create(
    *,
    actor,
    org: Organization,
    title: str,
    targets: list[Organization],
    time_limit: int,
    pass_mark: int,
    max_attempts: int,
    opens_at: datetime,
    closes_at: datetime,
    rules: list[DrawRule] = (),
    question_ids: list[int] = (),
    hand_points: int = 5,
    description: str = "",
    rng: random.Random | None = None,
) -> Paper:
    """A paper for the members of `targets` (each inside the actor's scope): questions chosen by hand (each worth
    `hand_points`) and/or drawn from the bank by rules (counts per type, tag and difficulty)."""
    if actor is not None:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)
        for target in targets:
            check_in_scope(actor, target, MANAGE, ORG_SCOPE)
    title = _check_paper_fields(
        title=title,
        time_limit=time_limit,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if not targets:
        raise DomainError(_("请选择参加测试的党组织。"), field="targets")
    picked = list(dict.fromkeys(int(pk) for pk in question_ids or []))
    found = set(Question.objects.filter(pk__in=picked, active=True).values_list("pk", flat=True))
    missing = [pk for pk in picked if pk not in found]
    if missing:
        raise DomainError(
            _("题库中没有编号为 %(ids)s 的题目（或已停用）。") % {"ids": "、".join(map(str, missing[:10]))},
            field="question_ids",
        )
    if picked and not (1 <= int(hand_points) <= 100):
        raise DomainError(_("每题分值应在 1 到 100 之间。"), field="hand_points")
    rules = [_check_rule(r) for r in rules]
    items = [(pk, int(hand_points)) for pk in picked] + draw(rules, rng or random.SystemRandom(), exclude=set(picked))
    if not items:
        raise DomainError(_("试卷没有题目：请手工选题或设置抽题规则。"), field="rules")
    if len(items) > 300:
        raise DomainError(_("一份试卷不能超过 300 道题。"), field="rules")
    total = sum(p for _pk, p in items)
    if int(pass_mark) > total:
        raise DomainError(_("及格分 %(p)d 高于试卷总分 %(t)d。") % {"p": int(pass_mark), "t": total}, field="pass_mark")
    paper = Paper.objects.create(
        title=title,
        description=_text(description, field="description", label=_("说明")),
        org=org,
        time_limit=int(time_limit),
        pass_mark=int(pass_mark),
        total=total,
        max_attempts=int(max_attempts),
        opens_at=opens_at,
        closes_at=closes_at,
        rules=[vars(r) for r in rules],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    paper.targets.set(targets)
    PaperQuestion.objects.bulk_create(
        PaperQuestion(paper=paper, question_id=pk, position=i, points=p) for i, (pk, p) in enumerate(items, start=1)
    )
    audit.record(
        actor=actor,
        action="quiz.paper_create",
        obj=paper,
        org=org,
        details={"questions": len(items), "total": total, "targets": [t.pk for t in targets]},
    )
    return paper


@transaction.atomic
def paper_close(*, actor, paper: Paper, version: int | None) -> Paper:
    """Close a paper now (no new attempts; attempts under way keep their deadline)."""
    if actor is not None:
        check_in_scope(actor, paper.org, MANAGE, ORG_SCOPE)
    now = timezone.now()
    if paper.closes_at <= now:
        raise DomainError(_("该试卷已截止。"))
    changed = Paper.objects.filter(pk=paper.pk, version=paper.version if version is None else version).update(
        closes_at=max(now, paper.opens_at + timedelta(seconds=1)), version=F("version") + 1
    )
    if not changed:
        raise DomainError(_("该试卷已被他人修改，请刷新后重试。"), field="version")
    paper.refresh_from_db()
    audit.record(actor=actor, action="quiz.paper_close", obj=paper, org=paper.org)
    return paper


# --- attempts -------------------------------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def member_of(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, left_on__isnull=True).select_related("org").first()


def paper_is_for(paper: Paper, member: Member) -> bool:
    path = member.org.path
    return any(path.startswith(t.path) for t in paper.targets.all())


@transaction.atomic
def attempt_start(*, actor, paper: Paper, now: datetime | None = None, member: Member | None = None) -> Attempt:
    """Start an attempt (or return the one under way). Refused outside the open period, for a member of another
    organization, and beyond the allowed number of attempts."""
    now = now or timezone.now()
    member = member or member_of(actor)
    if member is None or not paper_is_for(paper, member):
        raise NotFound
    current = (
        Attempt.objects.filter(paper=paper, member=member, status=AttemptStatus.IN_PROGRESS, deadline__gt=now)
        .order_by("-number")
        .first()
    )
    if current is not None:
        return current
    if now < paper.opens_at:
        raise DomainError(_("测试尚未开始（%(t)s 开放）。") % {"t": _stamp(paper.opens_at)})
    if now >= paper.closes_at:
        raise DomainError(_("测试已于 %(t)s 截止。") % {"t": _stamp(paper.closes_at)})
    used = Attempt.objects.filter(paper=paper, member=member).count()
    if used >= paper.max_attempts:
        raise DomainError(
            _("您已答题 %(u)d 次，本试卷只允许答题 %(n)d 次。") % {"u": used, "n": paper.max_attempts},
            code="attempts",
        )
    attempt = Attempt(
        paper=paper,
        member=member,
        number=used + 1,
        started_at=now,
        deadline=now + timedelta(minutes=paper.time_limit),
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # the same member started twice at once: one of them counts
        raise DomainError(_("您已开始答题，请刷新页面。"), code="attempts") from None
    audit.record(actor=actor, action="quiz.attempt_start", obj=attempt, org=member.org, details={"paper": paper.pk})
    return attempt


def _grade_objective(item: PaperQuestion, choice: list[int]) -> tuple[bool, int]:
    right = sorted(choice) == sorted(item.question.answer)
    return right, item.points if right else 0


def _clean_response(item: PaperQuestion, raw) -> tuple[list[int], str]:
    q = item.question
    if q.kind == QuestionKind.SHORT:
        text = raw if isinstance(raw, str) else ""
        return [], _text(text, field=f"q{item.pk}", label=_("第 %(n)d 题") % {"n": item.position}, limit=5000)
    values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
    try:
        choice = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        raise DomainError(_("第 %(n)d 题的答案不正确。") % {"n": item.position}, field=f"q{item.pk}") from None
    limit = 2 if q.kind == QuestionKind.JUDGE else len(q.options)
    if any(i < 0 or i >= limit for i in choice) or (q.kind != QuestionKind.MULTIPLE and len(choice) > 1):
        raise DomainError(_("第 %(n)d 题的答案不正确。") % {"n": item.position}, field=f"q{item.pk}")
    return choice, ""


def attempt_submit(*, actor, attempt: Attempt, responses: dict, now: datetime | None = None) -> Attempt:
    """Hand in the answer sheet: refused after the deadline (nothing written) or when already handed in (twice at
    once: one of them is recorded). Objective questions are graded at once; short answers wait for the
    secretary."""
    now = now or timezone.now()
    with transaction.atomic():
        member = member_of(actor) if actor is not None else attempt.member
        if member is None or member.pk != attempt.member_id:
            raise NotFound
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise DomainError(_("该答卷已经交过了。"), code="submitted")
        if now > attempt.deadline + GRACE:
            raise DomainError(
                _("答题时间已于 %(t)s 截止，答卷未被接收。")
                % {"t": timezone.localtime(attempt.deadline).strftime("%H:%M:%S")},
                code="late",
            )
        items = list(attempt.paper.items.select_related("question"))
        cleaned = {
            item.pk: _clean_response(item, responses.get(item.pk, responses.get(str(item.pk)))) for item in items
        }
        # the one UPDATE that hands in: a second submission at the same moment finds nothing to change
        taken = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(
            status=AttemptStatus.SUBMITTED, submitted_at=now
        )
        if not taken:
            raise DomainError(_("该答卷已经交过了。"), code="submitted")
        answers = []
        for item in items:
            choice, text = cleaned[item.pk]
            if item.question.kind in OBJECTIVE_KINDS:
                right, got = _grade_objective(item, choice)
                answers.append(Answer(attempt=attempt, item=item, choice=choice, correct=right, points=got))
            else:
                answers.append(Answer(attempt=attempt, item=item, text=text))
        Answer.objects.bulk_create(answers)
        attempt.status, attempt.submitted_at = AttemptStatus.SUBMITTED, now
        audit.record(
            actor=actor,
            action="quiz.attempt_submit",
            obj=attempt,
            org=attempt.member.org,
            details={"paper": attempt.paper_id, "number": attempt.number},
        )
        _finish_if_graded(attempt, now)
    return attempt


def _finish_if_graded(attempt: Attempt, now: datetime) -> None:
    """Once every answer has its points: the score, passed or not, and the points of a pass (once per paper)."""
    scores = list(Answer.objects.filter(attempt=attempt).values_list("points", flat=True))
    if any(s is None for s in scores):
        return
    attempt.score = sum(scores)
    attempt.passed = attempt.score >= attempt.paper.pass_mark
    attempt.status, attempt.graded_at = AttemptStatus.GRADED, now
    Attempt.objects.filter(pk=attempt.pk).update(
        score=attempt.score, passed=attempt.passed, status=attempt.status, graded_at=now
    )
    if attempt.passed:
        _award(member=attempt.member, action="quiz_pass", source=attempt.paper, occurred_at=attempt.submitted_at or now)


@transaction.atomic
def answer_grade(*, actor, answer: Answer, points_given: int, comment: str = "", now=None) -> Answer:
    """The secretary grades a short answer (0 to the question's points); graded once: a second grader is told."""
    now = now or timezone.now()
    if actor is not None and not attempts_gradable_by(actor).filter(pk=answer.attempt_id).exists():
        raise NotFound
    if answer.item.question.kind != QuestionKind.SHORT:
        raise DomainError(_("客观题由系统自动评分。"))
    try:
        given = int(points_given)
    except (TypeError, ValueError):
        given = -1
    if not (0 <= given <= answer.item.points):
        raise DomainError(_("得分应在 0 到 %(n)d 分之间。") % {"n": answer.item.points}, field="points")
    comment = _text(comment, field="comment", label=_("评语"), limit=300)
    changed = Answer.objects.filter(pk=answer.pk, points__isnull=True).update(
        points=given,
        correct=given == answer.item.points,
        comment=comment,
        graded_by=actor if getattr(actor, "is_authenticated", False) else None,
        graded_at=now,
    )
    if not changed:
        raise DomainError(_("该题已由他人评分，请刷新后查看。"), code="graded")
    answer.refresh_from_db()
    attempt = answer.attempt
    audit.record(
        actor=actor,
        action="quiz.answer_grade",
        obj=attempt,
        org=attempt.member.org,
        details={"answer": answer.pk, "points": given},
    )
    _finish_if_graded(attempt, now)
    return answer
