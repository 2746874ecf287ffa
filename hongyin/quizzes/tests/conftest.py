import random
from datetime import timedelta

import pytest
from django.utils import timezone

from hongyin.quizzes import services
from hongyin.quizzes.models import QuestionKind
from hongyin.quizzes.services import QuestionData


@pytest.fixture
def rng():
    return random.Random(5)


@pytest.fixture
def questions(db):
    """A single choice (A), a multiple choice (AC), a true/false (true) and a short answer."""
    make = services.question_create
    return {
        "single": make(
            actor=None, data=QuestionData(QuestionKind.SINGLE, "预备期为？", ["一年", "两年", "三年"], [0], tags="党章")
        ),
        "multiple": make(
            actor=None,
            data=QuestionData(
                QuestionKind.MULTIPLE,
                "三会包括？",
                ["党员大会", "职代会", "支委会"],
                [0, 2],
                explanation="条例第十九条",
            ),
        ),
        "judge": make(actor=None, data=QuestionData(QuestionKind.JUDGE, "党支部是党的基础组织。", [], [1])),
        "short": make(
            actor=None, data=QuestionData(QuestionKind.SHORT, "简述三会一课。", [], [], reference="支部党员大会……")
        ),
    }


@pytest.fixture
def make_paper(questions, branch):
    """A paper of the branch's four questions, 10 points each (40), 20 to pass, open now."""

    def make(*, kinds=("single", "multiple", "judge", "short"), targets=None, **kw):
        now = timezone.now()
        fields = dict(
            actor=None,
            org=branch,
            title="测试卷",
            targets=targets or [branch],
            time_limit=10,
            pass_mark=20,
            max_attempts=2,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=3),
            question_ids=[questions[k].pk for k in kinds],
            hand_points=10,
        )
        fields.update(kw)
        return services.paper_create(**fields)

    return make


@pytest.fixture
def member_user(users):
    return users["member"]


@pytest.fixture
def right_answers(questions):
    def answers(paper, short_text="支部党员大会每季度一次"):
        out = {}
        for item in paper.items.select_related("question"):
            q = item.question
            out[item.pk] = short_text if q.kind == QuestionKind.SHORT else list(q.answer)
        return out

    return answers


@pytest.fixture
def quiz_rule(db):
    """A points rule for quiz_pass effective a year back (the demo's rules come with the points seed)."""
    from datetime import date

    from hongyin.points import services as points
    from hongyin.points.services import rule_at

    today = timezone.localdate()
    if rule_at("quiz_pass", today) is None:
        points.ruleset_create(
            actor=None, effective_from=date(today.year - 1, 1, 1), rules={"quiz_pass": {"points": 5}}, allow_past=True
        )
