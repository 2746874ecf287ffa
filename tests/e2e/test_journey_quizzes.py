"""Quizzes (issue 12, item 5): on a phone (375 px) a member opens a timed paper, answers (one wrong), hands it in and
reads the review of the wrong answer with its explanation; the branch secretary grades the short answer on a
desktop and the attempt gets its score; the zone imports questions from an .xlsx written here with xlsxwriter
(preview with a row error, then a clean file, confirm). No phone page scrolls sideways."""

import io
from datetime import timedelta

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _xlsx(rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("试题")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def _paper():
    from hongyin.accounts.models import User
    from hongyin.quizzes import services
    from hongyin.quizzes.models import QuestionKind
    from hongyin.quizzes.services import QuestionData

    branch = User.objects.get(username="member").member.org
    make = services.question_create
    single = make(
        actor=None,
        data=QuestionData(
            QuestionKind.SINGLE,
            "旅程题：预备党员的预备期为？",
            ["半年", "一年", "两年"],
            [1],
            explanation="旅程解析：党章第七条，预备期为一年。",
        ),
    )
    judge = make(actor=None, data=QuestionData(QuestionKind.JUDGE, "旅程题：党支部是党的基础组织。", [], [1]))
    short = make(
        actor=None,
        data=QuestionData(
            QuestionKind.SHORT, "旅程题：简述三会一课。", [], [], reference="支部党员大会、支委会、党小组会和党课。"
        ),
    )
    now = timezone.now()
    return services.paper_create(
        actor=None,
        org=branch,
        title="旅程测试卷",
        targets=[branch],
        time_limit=15,
        pass_mark=10,
        max_attempts=1,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=2),
        question_ids=[single.pk, judge.pk, short.pk],
        hand_points=10,
    )


def test_a_member_takes_a_quiz_on_a_phone_and_the_secretary_grades(
    open_context, server, credentials, screenshot_dir, django_capture_on_commit_callbacks
):
    from hongyin.quizzes.models import Attempt, AttemptStatus, Question

    paper = _paper()
    items = {i.question.kind: i for i in paper.items.select_related("question")}

    phone_ctx, _w = open_context(**PHONE)
    phone = phone_ctx.new_page()
    login(phone, "member", credentials)
    phone.goto("/quizzes/")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "quizzes-home-phone.png"), full_page=True)
    phone.click(f"[data-testid=open-papers] a[href='/quizzes/papers/{paper.pk}/']")
    phone.wait_for_load_state("load")
    phone.click("#start-form button")
    phone.wait_for_load_state("load")
    attempt = Attempt.objects.get(paper=paper)
    countdown = phone.locator("#countdown")
    first = countdown.inner_text()
    assert first.startswith(("14:", "15:"))
    phone.wait_for_timeout(1500)
    assert countdown.inner_text() != first, "the countdown runs"
    phone.check(f"#q{items['single'].pk}-0")  # wrong: 半年
    phone.check(f"#q{items['judge'].pk}-1")
    phone.fill(f"#q{items['short'].pk}", "支部党员大会每季度一次，支委会、党小组会每月一次，党课每季度一次。")
    assert phone.evaluate(OVERFLOW) <= 1, "the answer sheet scrolls sideways at 375 px"
    phone.screenshot(path=str(screenshot_dir / "quizzes-attempt-phone.png"), full_page=True)
    phone.click("#submit-answers")
    phone.wait_for_load_state("load")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    review = phone.locator("[data-testid=review]").inner_text()
    assert "旅程题：预备党员的预备期为？" in review and "旅程解析" in review
    assert "党支部是党的基础组织" not in review  # only the wrong answers
    assert "待阅卷" in phone.locator("[data-testid=result]").inner_text()
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "quizzes-review-phone.png"), full_page=True)

    desk_ctx, _w2 = open_context(width=1280, height=800)
    desk = desk_ctx.new_page()
    login(desk, "branch_secretary", credentials)
    desk.goto("/quizzes/grading/")
    answer = attempt.answers.get(item=items["short"])
    form = desk.locator(f"#grade-{answer.pk}")
    form.locator("[name=points]").fill("8")
    form.locator("[name=comment]").fill("要点齐全")
    desk.screenshot(path=str(screenshot_dir / "quizzes-grading.png"), full_page=True)
    form.locator("button").click()
    desk.wait_for_load_state("load")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.score == 18 and attempt.passed
    desk.goto(f"/quizzes/manage/{paper.pk}/results/")
    assert "100.0%" in desk.locator("[data-testid=figures]").inner_text()
    desk.screenshot(path=str(screenshot_dir / "quizzes-results.png"), full_page=True)

    zone_ctx, _w3 = open_context(width=1280, height=800)
    zone = zone_ctx.new_page()
    zone.set_default_timeout(90_000)  # the zone's workbench (where the sign-in lands) is the heaviest page
    login(zone, "zone_admin", credentials)
    header = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "标签", "难度"]
    good = [
        [
            "单选题",
            "导入旅程题一：党的根本组织原则是？",
            "民主集中制",
            "集体领导",
            "",
            "",
            "A",
            "党章第十条",
            "党章",
            "容易",
        ],
        ["判断题", "导入旅程题二：党员应当按月交纳党费。", "", "", "", "", "对", "", "党费", ""],
    ]
    bad = [*good, ["多选题", "导入旅程题三", "甲", "乙", "", "", "A", "", "", ""]]
    for rows, expect in ((bad, "多选题至少有两个正确答案"), (good, "导入旅程题一")):
        zone.goto("/quizzes/bank/import/")
        zone.set_input_files(
            "input[name=file]",
            {"name": "试题.xlsx", "mimeType": "application/octet-stream", "buffer": _xlsx([header, *rows])},
        )
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            zone.click("main form button[type=submit]")
            zone.wait_for_load_state("load")
            landed = zone.url
            zone.goto("about:blank")
        assert callbacks
        zone.goto(landed)
        assert expect in zone.locator("#import-status").inner_text()
    assert not Question.objects.filter(stem__startswith="导入旅程题").exists()
    zone.screenshot(path=str(screenshot_dir / "quizzes-import-preview.png"), full_page=True)
    with django_capture_on_commit_callbacks(execute=True):
        zone.click("form[action$='/confirm/'] button")
        zone.wait_for_load_state("load")
        landed = zone.url
        zone.goto("about:blank")
    zone.goto(landed)
    assert Question.objects.filter(stem__startswith="导入旅程题").count() == 2
