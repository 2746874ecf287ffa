"""The rules of the quizzes case by case: questions, papers drawn by rule, the timed attempt (late and extra
attempts refused, nothing written), grading, points once per paper, the scope."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.quizzes import services
from hongyin.quizzes.models import Answer, Attempt, AttemptStatus, Paper, Question, QuestionKind
from hongyin.quizzes.services import DrawRule, QuestionData

pytestmark = pytest.mark.django_db


# --- questions ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (QuestionData(QuestionKind.SINGLE, "题", ["甲", "乙"], [0, 1]), "answer"),
        (QuestionData(QuestionKind.MULTIPLE, "题", ["甲", "乙", "丙"], [1]), "answer"),
        (QuestionData(QuestionKind.SINGLE, "题", ["甲"], [0]), "options"),
        (QuestionData(QuestionKind.SINGLE, "题", ["甲", "乙"], [5]), "answer"),
        (QuestionData(QuestionKind.JUDGE, "题", [], [2]), "answer"),
        (QuestionData(QuestionKind.SHORT, "题", [], [], reference=""), "reference"),
        (QuestionData(QuestionKind.SINGLE, "", ["甲", "乙"], [0]), "stem"),
        (QuestionData("essay", "题", [], []), "kind"),
        (QuestionData(QuestionKind.JUDGE, "题", [], [1], difficulty=7), "difficulty"),
    ],
)
def test_a_bad_question_is_refused_and_nothing_written(data, field):
    before = Question.objects.count()
    with pytest.raises(DomainError) as err:
        services.question_create(actor=None, data=data)
    assert err.value.field == field
    assert Question.objects.count() == before


def test_answers_as_typed_and_tags():
    assert services.parse_answer("multiple", "a, c") == [0, 2]
    assert services.parse_answer("judge", "对") == [1]
    assert services.parse_answer("judge", "×") == [0]
    with pytest.raises(DomainError):
        services.parse_answer("single", "甲")
    assert services.normalize_tags("党章，条例; 党章") == ",党章,条例,"


def test_only_the_zone_writes_the_bank(users):
    with pytest.raises(NotFound):
        services.question_create(actor=users["building_admin"], data=QuestionData(QuestionKind.JUDGE, "题", [], [1]))
    q = services.question_create(actor=users["zone_admin"], data=QuestionData(QuestionKind.JUDGE, "题", [], [1]))
    assert AuditEvent.objects.filter(action="quiz.question_create", object_id=str(q.pk)).exists()


def test_a_question_already_answered_keeps_its_answer(questions, make_paper, member_user, right_answers, users):
    paper = make_paper()
    a = services.attempt_start(actor=member_user, paper=paper)
    services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    q = questions["single"]
    with pytest.raises(DomainError):
        services.question_update(
            actor=users["zone_admin"],
            question=q,
            data=QuestionData(QuestionKind.SINGLE, q.stem, q.options, [1]),
            version=q.version,
        )
    # the wording may still be corrected; a stale version is refused
    services.question_update(
        actor=users["zone_admin"],
        question=q,
        data=QuestionData(QuestionKind.SINGLE, "预备党员的预备期为？", q.options, q.answer),
        version=q.version,
    )
    with pytest.raises(DomainError):
        services.question_update(
            actor=users["zone_admin"],
            question=q,
            data=QuestionData(QuestionKind.SINGLE, "又改", q.options, q.answer),
            version=0,
        )


# --- papers ---------------------------------------------------------------------------------------------------------


def test_a_paper_drawn_by_rule_follows_kind_tag_and_difficulty(branch, rng):
    for i in range(6):
        services.question_create(
            actor=None,
            data=QuestionData(QuestionKind.SINGLE, f"测{i}", ["甲", "乙"], [0], tags="测试标签", difficulty=3),
        )
    now = timezone.now()
    paper = services.paper_create(
        actor=None,
        org=branch,
        title="按规则",
        targets=[branch],
        time_limit=10,
        pass_mark=10,
        max_attempts=1,
        opens_at=now,
        closes_at=now + timedelta(days=1),
        rules=[DrawRule(kind="single", count=4, points=3, tag="测试标签", difficulty=3)],
        rng=rng,
    )
    items = list(paper.items.select_related("question"))
    assert len(items) == 4 and paper.total == 12
    assert all(",测试标签," in i.question.tags and i.question.difficulty == 3 for i in items)
    assert len({i.question_id for i in items}) == 4


def test_a_rule_the_bank_cannot_fill_is_refused_with_the_numbers(branch):
    now = timezone.now()
    before = Paper.objects.count()
    with pytest.raises(DomainError) as err:
        services.paper_create(
            actor=None,
            org=branch,
            title="不够",
            targets=[branch],
            time_limit=10,
            pass_mark=1,
            max_attempts=1,
            opens_at=now,
            closes_at=now + timedelta(days=1),
            rules=[DrawRule(kind="short", count=50, points=1, tag="没有这个标签")],
        )
    assert "不足 50 道" in err.value.message
    assert Paper.objects.count() == before


def test_a_pass_mark_above_the_total_and_an_empty_period_are_refused(make_paper):
    with pytest.raises(DomainError) as err:
        make_paper(pass_mark=41)
    assert err.value.field == "pass_mark"
    now = timezone.now()
    with pytest.raises(DomainError):
        make_paper(opens_at=now, closes_at=now)


def test_a_committee_sets_papers_only_inside_its_scope(users, demo, questions):
    building_admin = users["building_admin"]
    now = timezone.now()
    with pytest.raises(NotFound):
        services.paper_create(
            actor=building_admin,
            org=building_admin.assignments[0].org,
            title="越权",
            targets=[demo.chain],
            time_limit=10,
            pass_mark=1,
            max_attempts=1,
            opens_at=now,
            closes_at=now + timedelta(days=1),
            question_ids=[questions["single"].pk],
        )


# --- attempts -------------------------------------------------------------------------------------------------------


def test_a_member_takes_a_paper_and_objective_questions_are_graded(make_paper, member_user):
    paper = make_paper(kinds=("single", "multiple", "judge"))
    a = services.attempt_start(actor=member_user, paper=paper)
    assert a.deadline == a.started_at + timedelta(minutes=10)
    assert services.attempt_start(actor=member_user, paper=paper).pk == a.pk  # resumed, not a second attempt
    items = {i.question.kind: i.pk for i in paper.items.select_related("question")}
    services.attempt_submit(
        actor=member_user,
        attempt=a,
        responses={items["single"]: [0], items["multiple"]: ["0"], items["judge"]: ["1"]},
    )
    a.refresh_from_db()
    assert a.status == AttemptStatus.GRADED
    assert a.score == 20 and a.passed  # the multiple choice needs every right option
    wrong = Answer.objects.get(attempt=a, item_id=items["multiple"])
    assert wrong.correct is False and wrong.points == 0


def test_an_answer_sheet_after_the_deadline_is_refused_and_nothing_written(make_paper, member_user, right_answers):
    paper = make_paper()
    a = services.attempt_start(actor=member_user, paper=paper)
    late = a.deadline + services.GRACE + timedelta(seconds=1)
    with pytest.raises(DomainError) as err:
        services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper), now=late)
    assert "截止" in err.value.message and err.value.code == "late"
    a.refresh_from_db()
    assert a.status == AttemptStatus.IN_PROGRESS and a.submitted_at is None
    assert not Answer.objects.filter(attempt=a).exists()
    # the page's own countdown arriving a moment late is still taken
    b = services.attempt_start(actor=member_user, paper=paper, now=late)
    assert b.number == 2
    services.attempt_submit(actor=member_user, attempt=b, responses={}, now=b.deadline + timedelta(seconds=5))


def test_an_attempt_beyond_the_allowed_number_is_refused(make_paper, member_user):
    paper = make_paper(max_attempts=1)
    a = services.attempt_start(actor=member_user, paper=paper)
    services.attempt_submit(actor=member_user, attempt=a, responses={})
    with pytest.raises(DomainError) as err:
        services.attempt_start(actor=member_user, paper=paper)
    assert "只允许答题 1 次" in err.value.message
    assert Attempt.objects.filter(paper=paper).count() == 1


def test_outside_the_open_period_nothing_starts(make_paper, member_user):
    now = timezone.now()
    later = make_paper(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    with pytest.raises(DomainError, match="尚未开始"):
        services.attempt_start(actor=member_user, paper=later)
    over = make_paper(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    with pytest.raises(DomainError, match="截止"):
        services.attempt_start(actor=member_user, paper=over)
    assert not Attempt.objects.filter(paper__in=[later, over]).exists()


def test_a_paper_for_another_organization_is_not_found(make_paper, member_user, other_branch):
    paper = make_paper(targets=[other_branch])
    with pytest.raises(NotFound):
        services.attempt_start(actor=member_user, paper=paper)


def test_an_answer_sheet_twice_is_recorded_once(make_paper, member_user, right_answers):
    paper = make_paper()
    a = services.attempt_start(actor=member_user, paper=paper)
    stale = Attempt.objects.get(pk=a.pk)  # a second request read the attempt before the first one handed in
    services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    with pytest.raises(DomainError, match="已经交过"):
        services.attempt_submit(actor=member_user, attempt=stale, responses=right_answers(paper))
    assert Answer.objects.filter(attempt=a).count() == 4


def test_short_answers_wait_for_the_secretary(make_paper, member_user, right_answers, users):
    paper = make_paper()
    a = services.attempt_start(actor=member_user, paper=paper)
    services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    a.refresh_from_db()
    assert a.status == AttemptStatus.SUBMITTED and a.score is None
    short = Answer.objects.get(attempt=a, item__question__kind=QuestionKind.SHORT)
    with pytest.raises(DomainError):
        services.answer_grade(actor=users["branch_secretary"], answer=short, points_given=11)
    with pytest.raises(NotFound):
        services.answer_grade(actor=users["chain_admin"], answer=short, points_given=5)
    services.answer_grade(actor=users["branch_secretary"], answer=short, points_given=6, comment="要点基本齐全")
    a.refresh_from_db()
    assert a.status == AttemptStatus.GRADED and a.score == 36 and a.passed
    with pytest.raises(DomainError, match="已由他人评分"):
        services.answer_grade(actor=users["building_admin"], answer=short, points_given=0)


def test_a_pass_awards_points_once_per_paper(make_paper, member_user, right_answers, quiz_rule):
    from hongyin.points.models import PointEntry

    paper = make_paper(kinds=("single", "judge"), max_attempts=3)
    ledger = PointEntry.objects.filter(member=member_user.member, action="quiz_pass")
    before = ledger.count()
    for _ in range(2):  # passed twice: counted once
        a = services.attempt_start(actor=member_user, paper=paper)
        services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    entries = ledger.filter(source_type="quizzes.paper", source_id=str(paper.pk))
    assert entries.count() == 1 and ledger.count() == before + 1
    failed = make_paper(kinds=("single", "judge"), title="未及格")
    a = services.attempt_start(actor=member_user, paper=failed)
    services.attempt_submit(actor=member_user, attempt=a, responses={})
    assert not ledger.filter(source_id=str(failed.pk)).exists()


def test_a_pass_after_grading_awards_the_points(make_paper, member_user, right_answers, users, quiz_rule):
    from hongyin.points.models import PointEntry

    paper = make_paper()
    a = services.attempt_start(actor=member_user, paper=paper)
    services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    ledger = PointEntry.objects.filter(member=member_user.member, source_type="quizzes.paper", source_id=str(paper.pk))
    assert not ledger.exists()
    short = Answer.objects.get(attempt=a, item__question__kind=QuestionKind.SHORT)
    services.answer_grade(actor=users["branch_secretary"], answer=short, points_given=2)
    assert ledger.count() == 1


def _in_thread(func, *args, barrier=None):
    """Run `func` on a connection of its own (its work commits), after `barrier` if given."""
    out: dict = {}

    def run():
        try:
            if barrier is not None:
                barrier.wait(10)
            out["value"] = func(*args)
        except BaseException as exc:  # handed to the test
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


@pytest.mark.postgres
def test_two_submissions_at_once_record_one(member_user, branch):
    """The same answer sheet handed in twice at the same moment (a double tap, a retry): one is recorded, the other
    is told. Committed work on connections of their own, removed afterwards (a failed paper: no points)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections (set DATABASE_URL=postgres://...; CI does)")

    def prepare():
        q = services.question_create(actor=None, data=QuestionData(QuestionKind.JUDGE, "并发交卷测试题", [], [1]))
        now = timezone.now()
        paper = services.paper_create(
            actor=None,
            org=branch,
            title="并发交卷测试",
            targets=[branch],
            time_limit=10,
            pass_mark=10,
            max_attempts=1,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            question_ids=[q.pk],
            hand_points=10,
        )
        return q, paper, services.attempt_start(actor=member_user, paper=paper)

    t, made = _in_thread(prepare)
    t.join(30)
    q, paper, attempt = made["value"]
    try:
        barrier = threading.Barrier(2)

        def hand_in():
            fresh = Attempt.objects.select_related("paper", "member").get(pk=attempt.pk)
            return services.attempt_submit(actor=member_user, attempt=fresh, responses={}).status

        runs = [_in_thread(hand_in, barrier=barrier) for _ in range(2)]
        for thread, _out in runs:
            thread.join(30)
        results = sorted(
            "ok" if "value" in out else ("refused" if isinstance(out.get("error"), DomainError) else repr(out))
            for _t, out in runs
        )
        assert results == ["ok", "refused"], results
        assert Answer.objects.filter(attempt_id=attempt.pk).count() == 1
    finally:

        def cleanup():
            Answer.objects.filter(attempt__paper_id=paper.pk).delete()
            Attempt.objects.filter(paper_id=paper.pk).delete()
            Paper.objects.filter(pk=paper.pk).delete()
            Question.objects.filter(pk=q.pk).delete()

        t, _ = _in_thread(cleanup)
        t.join(30)


def test_the_demo_zone_has_a_bank_papers_attempts_and_points(demo, users):
    from hongyin.points.models import PointEntry
    from hongyin.quizzes.seed import BANK_SIZE

    assert Question.objects.count() >= BANK_SIZE == 200
    assert set(Question.objects.values_list("kind", flat=True)) == set(QuestionKind.values)
    papers = Paper.objects.filter(org=demo.root)
    assert papers.count() == 4
    now = timezone.now()
    open_paper = papers.get(opens_at__lte=now, closes_at__gt=now)
    assert not Attempt.objects.filter(paper=open_paper, member__user=users["member"]).exists()  # the journey's
    assert Attempt.objects.filter(status=AttemptStatus.GRADED, passed=True).exists()
    waiting = Answer.objects.filter(
        points__isnull=True, attempt__member__org=users["branch_secretary"].assignments[0].org
    )
    assert waiting.exists()  # the secretary has short answers to grade
    if PointEntry.objects.filter(action="quiz_pass").exists():  # with the points rules of the demo
        source = PointEntry.objects.filter(action="quiz_pass").values_list("source_type", flat=True).first()
        assert source == "quizzes.paper"
