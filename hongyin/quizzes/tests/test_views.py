"""Pages and API of the quizzes: a member takes a paper through the pages (the review shows the wrong answers with
their explanations), a late answer sheet through the page, members see only their own attempts, the secretary
grades, the results per branch, the import through the pipeline, queries flat in the number of rows."""

import io
import json
from datetime import timedelta

import pytest
import xlsxwriter
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.quizzes import selectors, services
from hongyin.quizzes.models import Answer, Attempt, AttemptStatus, Question, QuestionKind
from hongyin.quizzes.permissions import papers_for_results
from hongyin.quizzes.workbench import quizzes_grading, quizzes_open

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_member_takes_a_paper_through_the_pages_and_reviews_the_wrong_answers(as_user, make_paper):
    paper = make_paper(kinds=("single", "multiple", "judge"))
    client = as_user("member")
    home = client.get(reverse("quizzes:home"))
    assert paper.title in home.content.decode()
    r = client.post(reverse("quizzes:start", args=[paper.pk]))
    a = Attempt.objects.get(paper=paper)
    assert r.url == reverse("quizzes:attempt", args=[a.pk])
    page = client.get(r.url).content.decode()
    assert "data-remaining" in page and "预备期为？" in page
    items = {i.question.kind: i.pk for i in paper.items.select_related("question")}
    r = client.post(
        reverse("quizzes:submit", args=[a.pk]),
        {f"q{items['single']}": "1", f"q{items['multiple']}": ["0", "2"], f"q{items['judge']}": "1"},
    )
    a.refresh_from_db()
    assert a.status == AttemptStatus.GRADED and a.score == 20
    review = client.get(reverse("quizzes:attempt", args=[a.pk])).content.decode()
    assert "错题回顾（1 道）" in review and "预备期为？" in review and "三会包括？" not in review
    assert "条例第十九条" in client.get(reverse("quizzes:attempt", args=[a.pk]) + "?all=1").content.decode()


def test_a_late_answer_sheet_through_the_page_is_refused(as_user, make_paper, member_user):
    paper = make_paper(kinds=("single",), pass_mark=10)
    a = services.attempt_start(actor=member_user, paper=paper)
    Attempt.objects.filter(pk=a.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    client = as_user("member")
    item = paper.items.get()
    r = client.post(reverse("quizzes:submit", args=[a.pk]), {f"q{item.pk}": "0"}, follow=True)
    assert "答卷未被接收" in r.content.decode()
    assert not Answer.objects.filter(attempt=a).exists()


def test_members_see_only_their_own_attempts(as_user, make_paper, member_user, users, make_member, branch):
    paper = make_paper(kinds=("single",), pass_mark=10)
    a = services.attempt_start(actor=member_user, paper=paper)
    secretary = users["branch_secretary"]
    assert as_user("branch_secretary").get(reverse("quizzes:attempt", args=[a.pk])).status_code == 404
    api = as_user("branch_secretary")
    assert api.get(f"/api/v1/quizzes/attempts/{a.pk}").status_code == 404
    mine = as_user("member").get("/api/v1/quizzes/attempts").json()
    assert a.pk in [x["id"] for x in mine]
    assert all(Attempt.objects.get(pk=x["id"]).member.user_id == member_user.pk for x in mine)
    assert secretary.pk != member_user.pk


def test_the_api_takes_a_paper(as_user, make_paper):
    paper = make_paper(kinds=("single", "judge"), max_attempts=1)
    client = as_user("member")
    listed = client.get("/api/v1/quizzes/papers").json()
    assert paper.pk in [p["id"] for p in listed]
    r = client.post(f"/api/v1/quizzes/papers/{paper.pk}/attempts")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["seconds_left"] > 0 and "answer" not in body["questions"][0]
    answers = [{"item_id": q["item_id"], "choice": [0] if q["kind"] == "single" else [1]} for q in body["questions"]]
    done = client.post(
        f"/api/v1/quizzes/attempts/{body['id']}/submit",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["score"] == 20 and done.json()["review"][0]["answer"] == [0]
    again = client.post(
        f"/api/v1/quizzes/attempts/{body['id']}/submit",
        json.dumps({"answers": answers}),
        content_type="application/json",
    )
    assert again.status_code == 422 and "交过" in again.json()["detail"]
    extra = client.post(f"/api/v1/quizzes/papers/{paper.pk}/attempts")
    assert extra.status_code == 422 and "只允许答题 1 次" in extra.json()["detail"]


def test_the_secretary_grades_and_sees_the_results_per_branch(
    as_user, make_paper, member_user, right_answers, users, branch
):
    paper = make_paper()
    a = services.attempt_start(actor=member_user, paper=paper)
    services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    secretary = users["branch_secretary"]
    figures = dict((str(k), v) for k, v, _u in quizzes_grading(secretary)["figures"])
    assert figures["待评分的简答题"] == selectors.answers_to_grade(secretary).count() >= 1
    client = as_user("branch_secretary")
    page = client.get(reverse("quizzes:grading")).content.decode()
    short = Answer.objects.get(attempt=a, item__question__kind=QuestionKind.SHORT)
    assert f'action="{reverse("quizzes:grade", args=[short.pk])}"' in page
    client.post(reverse("quizzes:grade", args=[short.pk]), {"points": "8", "comment": "好"})
    a.refresh_from_db()
    assert a.status == AttemptStatus.GRADED and a.score == 38
    results = selectors.paper_results(secretary, paper)
    row = next(r for r in results.rows if r.org.pk == branch.pk)
    assert (row.took, row.passed, row.average) == (1, 1, 38.0)
    assert row.members == branch.members.filter(left_on__isnull=True).count()
    assert [r.org.pk for r in results.rows] == [branch.pk]
    page = client.get(reverse("quizzes:results", args=[paper.pk])).content.decode()
    assert branch.name in page
    api = client.get(f"/api/v1/quizzes/papers/{paper.pk}/results").json()
    assert api["total"]["took"] == 1 and api["total"]["pass_rate"] == 100.0
    # another branch's secretary-less committee: the chain admin does not see this branch's paper
    assert as_user("chain_admin").get(reverse("quizzes:results", args=[paper.pk])).status_code == 404


def test_the_member_panel_lists_open_papers(make_paper, member_user, users):
    paper = make_paper()
    labels = [str(label) for label, *_rest in quizzes_open(member_user)["items"]]
    assert any(paper.title in label for label in labels)
    # the zone (no member record) follows the papers running in its scope instead
    [(_label, count, url, _danger)] = quizzes_open(users["zone_admin"])["items"]
    now = timezone.now()
    running = papers_for_results(users["zone_admin"]).filter(opens_at__lte=now, closes_at__gt=now)
    assert url == reverse("quizzes:papers") and count == running.count() >= 1


def test_pages_are_flat_in_the_number_of_rows(as_user, make_paper, member_user, right_answers, make_member, branch):
    client = as_user("zone_admin")
    member_client = as_user("member")
    paper = make_paper(max_attempts=10)
    urls = [reverse("quizzes:bank"), reverse("quizzes:papers"), reverse("quizzes:results", args=[paper.pk])]
    a = services.attempt_start(actor=member_user, paper=paper)
    services.attempt_submit(actor=member_user, attempt=a, responses=right_answers(paper))
    before = [_queries(client, u) for u in urls] + [_queries(member_client, reverse("quizzes:home"))]
    for i in range(5):
        services.question_create(
            actor=None, data=services.QuestionData(QuestionKind.JUDGE, f"判断{i}", [], [1], tags=f"标签{i}")
        )
        make_member(branch)
        b = services.attempt_start(actor=member_user, paper=paper)
        services.attempt_submit(actor=member_user, attempt=b, responses=right_answers(paper))
    after = [_queries(client, u) for u in urls] + [_queries(member_client, reverse("quizzes:home"))]
    assert after == before


def test_the_zone_publishes_a_paper_through_the_form(as_user, questions, demo):
    client = as_user("zone_admin")
    page = client.get(reverse("quizzes:paper_new"))
    assert page.status_code == 200
    now = timezone.localtime()
    r = client.post(
        reverse("quizzes:paper_new"),
        {
            "title": "表单发布",
            "org": demo.root.pk,
            "targets": [demo.root.pk],
            "time_limit": "15",
            "pass_mark": "10",
            "max_attempts": "1",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "question_ids": f"{questions['single'].pk}，{questions['short'].pk}",
            "hand_points": "5",
            "rule_kind_0": "judge",
            "rule_count_0": "2",
            "rule_points_0": "5",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    from hongyin.quizzes.models import Paper

    p = Paper.objects.get(title="表单发布")
    assert p.items.count() == 4 and p.total == 20


def _xlsx(rows) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    header = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "标签", "难度"]
    for r, row in enumerate([header, *rows]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.close()
    return buf.getvalue()


def test_the_import_previews_row_errors_and_commits_on_confirm(as_user, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongyin.jobs.models import Job

    client = as_user("zone_admin")
    assert client.get(reverse("quizzes:import_template")).status_code == 200
    good = [
        ["单选题", "导入题一", "甲", "乙", "丙", "", "B", "解析一", "党章", "容易"],
        ["判断", "导入题二", "", "", "", "", "对", "", "条例,三会一课", ""],
        ["简答题", "导入题三", "", "", "", "", "参考答案三", "", "", "较难"],
    ]
    bad = [*good, ["多选题", "导入题四", "甲", "乙", "", "", "A", "", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("quizzes:import"),
            {"kind": "quiz_questions", "file": SimpleUploadedFile("q.xlsx", _xlsx(bad))},
        )
    assert r.status_code == 302, r.content.decode()[:3000]
    job = Job.objects.latest("pk")
    status = client.get(reverse("imports:status", args=[job.pk])).content.decode()
    assert "多选题至少有两个正确答案" in status
    assert not Question.objects.filter(stem__startswith="导入题").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("quizzes:import"),
            {"kind": "quiz_questions", "file": SimpleUploadedFile("q.xlsx", _xlsx(good))},
        )
    job = Job.objects.latest("pk")
    status = client.get(reverse("imports:status", args=[job.pk])).content.decode()
    assert "导入题一" in status
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    made = {q.stem: q for q in Question.objects.filter(stem__startswith="导入题")}
    assert set(made) == {"导入题一", "导入题二", "导入题三"}
    assert made["导入题一"].answer == [1] and made["导入题二"].tag_list == ["条例", "三会一课"]
    assert made["导入题三"].reference == "参考答案三" and made["导入题三"].difficulty == 3


def test_a_branch_secretary_cannot_reach_the_bank(as_user):
    client = as_user("branch_secretary")
    assert client.get(reverse("quizzes:bank")).status_code == 403
    assert client.get(reverse("quizzes:import")).status_code == 403
