"""Background jobs: a registered kind runs (huey immediate in tests), reports progress, serves its result file
to its owner only."""

import pytest
from django.test import Client

from hongyin.accounts.models import User
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.devtools.sessions import login_as
from hongyin.jobs import services
from hongyin.jobs.models import Job, JobStatus
from hongyin.jobs.registry import RUNNERS, job_kind

SEEN_PROGRESS: list[tuple[int, int]] = []


@job_kind("tests.count")
def count_runner(job, progress):
    total = int(job.params.get("n", 10))
    for i in range(1, total + 1):
        progress(i, total)
        SEEN_PROGRESS.append((i, Job.objects.get(pk=job.pk).done))
    path = services.job_dir(job) / "result.csv"
    path.write_text("序号\n" + "\n".join(str(i) for i in range(1, total + 1)) + "\n", encoding="utf-8")
    return path, "计数结果.csv", f"共 {total} 行"


@job_kind("tests.refuse")
def refuse_runner(job, progress):
    raise DomainError("第 3 行：身份证号格式不正确。")


@job_kind("tests.crash")
def crash_runner(job, progress):
    raise RuntimeError("secret internal detail")


@pytest.fixture
def run_job(db, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"

    def _run(username: str, kind: str, **params) -> Job:
        user = User.objects.get(username=username)
        with django_capture_on_commit_callbacks(execute=True):
            job = services.job_start(actor=user, kind=kind, title="测试任务", params=params)
        job.refresh_from_db()
        return job

    return _run


def test_job_runs_in_immediate_mode_with_progress_and_result(run_job):
    SEEN_PROGRESS.clear()
    job = run_job("member", "tests.count", n=50)
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (50, 50, 100)
    assert job.message == "共 50 行"
    assert job.result_name == "计数结果.csv"
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    # progress was written while running (throttled to every 2%), and the last step always lands
    assert SEEN_PROGRESS[-1] == (50, 50)
    assert any(0 < done < 50 for _i, done in SEEN_PROGRESS)
    assert AuditEvent.objects.filter(action="job.start").exists()


def test_progress_partial_and_download_for_the_owner(run_job):
    job = run_job("member", "tests.count", n=5)
    client = login_as(Client(), "member")
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert 'data-status="succeeded"' in html and "100%" in html
    assert "hx-trigger" not in html  # finished: no more polling
    assert "<html" not in html  # a fragment, not a page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("utf-8").startswith("序号\n1\n")
    assert "attachment" in download["Content-Disposition"]
    listing = client.get("/jobs/")
    assert listing.status_code == 200 and "测试任务" in listing.content.decode()


def test_running_job_partial_keeps_polling(db):
    user = User.objects.get(username="member")
    job = Job.objects.create(
        kind="tests.count", title="进行中任务", owner=user, status=JobStatus.RUNNING, total=4, done=1
    )
    html = login_as(Client(), "member").get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "25%" in html


def test_other_users_get_404(run_job):
    job = run_job("member", "tests.count", n=3)
    other = login_as(Client(), "branch_secretary")
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "测试任务" not in other.get("/jobs/").content.decode()
    assert Client().get(f"/jobs/{job.pk}/download/").status_code == 302  # anonymous: to the login page


def test_domain_error_fails_the_job_with_its_message(run_job):
    job = run_job("member", "tests.refuse")
    assert job.status == JobStatus.FAILED
    assert job.message == "第 3 行：身份证号格式不正确。"
    assert job.result_file == ""
    assert login_as(Client(), "member").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_crash_fails_the_job_without_leaking_details(run_job):
    job = run_job("member", "tests.crash")
    assert job.status == JobStatus.FAILED
    assert "secret" not in job.message and job.message


def test_unknown_kind_is_refused(db):
    user = User.objects.get(username="member")
    with pytest.raises(DomainError):
        services.job_start(actor=user, kind="tests.no-such-kind", title="x")
    assert not Job.objects.filter(title="x").exists()
    assert "tests.count" in RUNNERS


def test_download_outside_the_private_root_is_404(run_job, tmp_path):
    job = run_job("member", "tests.count", n=1)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not yours")
    Job.objects.filter(pk=job.pk).update(result_file=str(outside))
    assert login_as(Client(), "member").get(f"/jobs/{job.pk}/download/").status_code == 404
