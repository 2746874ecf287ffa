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
SCRATCH: list = []


@job_kind("tests.count")
def count_runner(job, progress):
    total = int(job.params.get("n", 10))
    for i in range(1, total + 1):
        progress(i, total)
        SEEN_PROGRESS.append((i, Job.objects.get(pk=job.pk).done))
    path = services.job_dir(job) / "result.csv"
    SCRATCH.append(path.parent)
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


# --- several servers: results in the "jobs" storage, dead workers detected, failed jobs run again ----------------


def test_result_files_go_through_the_jobs_storage(run_job, settings, tmp_path):
    from hongyin.jobs.storage import job_storage

    job = run_job("member", "tests.count", n=3)
    assert job.result_file == f"{job.pk}/result.csv"  # a name in the storage, not a path on this machine
    storage = job_storage()
    with storage.open(job.result_file, "rb") as fh:
        assert fh.read().decode("utf-8") == "序号\n1\n2\n3\n"
    assert SCRATCH and not SCRATCH[-1].exists()  # the runner's local scratch folder is gone
    name = services.job_save_file(job, "result.json", '{"total": 3, "名称": "计数"}')
    assert name == f"{job.pk}/result.json" and services.job_read_json(job) == {"total": 3, "名称": "计数"}
    assert services.job_read_json(job, "missing.json") is None
    # another backend (a folder every server mounts): the worker writes there and the web server reads from there
    shared = tmp_path / "shared-jobs"
    settings.STORAGES = {
        **settings.STORAGES,
        "jobs": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(shared)}},
    }
    other = run_job("member", "tests.count", n=2)
    assert (shared / other.result_file).read_text(encoding="utf-8") == "序号\n1\n2\n"
    download = login_as(Client(), "member").get(f"/jobs/{other.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).decode() == "序号\n1\n2\n"
    Job.objects.filter(pk=other.pk).update(result_file=f"{job.pk}/result.csv")  # not this job's file
    assert login_as(Client(), "member").get(f"/jobs/{other.pk}/download/").status_code == 404


def test_progress_writes_the_heartbeat(run_job):
    job = run_job("member", "tests.count", n=4)
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at


def _running(username="member", **fields) -> Job:
    from django.utils import timezone

    now = timezone.now()
    return Job.objects.create(
        kind="tests.count",
        title="运行中任务",
        owner=User.objects.get(username=username),
        status=JobStatus.RUNNING,
        params={"n": 2},
        started_at=now,
        heartbeat_at=now,
        total=10,
        done=3,
        **fields,
    )


def test_a_running_job_whose_worker_died_is_marked_failed(db, settings):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    from hongyin.jobs.tasks import jobs_mark_stale

    settings.HONGYIN_JOB_STALE_SECONDS = 300
    dead, alive = _running(), _running()
    later = timezone.now() + timedelta(seconds=301)
    with freeze_time(later):
        Job.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())  # its worker is still writing
        assert services.mark_stale_jobs() == 1
        assert jobs_mark_stale.call_local() == 0  # the periodic task: nothing more to mark
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.message == "任务执行进程已中断，请重新运行。"
    assert dead.finished_at is not None and alive.status == JobStatus.RUNNING
    event = AuditEvent.objects.get(action="job.stale")
    assert event.object_id == str(dead.pk)
    with freeze_time(later + timedelta(seconds=10)):
        assert services.mark_stale_jobs() == 0  # a failed job stays as it is


def test_the_job_page_marks_a_dead_job_failed_and_offers_to_run_it_again(db, settings):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    settings.HONGYIN_JOB_STALE_SECONDS = 300
    job = _running()
    client = login_as(Client(), "member")
    html = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="running"' in html and "重新运行" not in html
    with freeze_time(timezone.now() + timedelta(seconds=301)):
        html = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="failed"' in html and "任务执行进程已中断，请重新运行。" in html
    assert "hx-trigger" not in html and f"/jobs/{job.pk}/restart/" in html and "重新运行" in html


def test_the_owner_runs_a_failed_job_again_and_another_user_gets_404(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    job = _running()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="任务执行进程已中断，请重新运行。")
    other = login_as(Client(), "branch_secretary")
    assert other.post(f"/jobs/{job.pk}/restart/").status_code == 404
    assert other.post(f"/api/v1/jobs/{job.pk}/restart").status_code == 404
    assert other.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert Job.objects.count() == Job.objects.filter(pk__lte=job.pk).count()  # nothing started
    owner = login_as(Client(), "member")
    assert owner.get(f"/jobs/{job.pk}/restart/").status_code == 405  # a POST only
    response = owner.post(f"/jobs/{job.pk}/restart/")
    new = Job.objects.exclude(pk=job.pk).filter(owner__username="member").order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{new.pk}/"
    assert (new.kind, new.title, new.params) == (job.kind, job.title, job.params)
    event = AuditEvent.objects.get(action="job.restart")
    assert event.object_id == str(new.pk) and event.details["from_job"] == job.pk and event.actor_name == "member"
    # through the API, and only a failed job runs again
    api = owner.post(f"/api/v1/jobs/{job.pk}/restart")
    assert api.status_code == 201 and api.json()["kind"] == "tests.count"
    assert owner.get(f"/api/v1/jobs/{api.json()['id']}").json()["title"] == job.title
    refused = owner.post(f"/api/v1/jobs/{_running().pk}/restart")
    assert refused.status_code == 422
    assert AuditEvent.objects.filter(action="job.restart").count() == 2


def test_a_restarted_job_runs(run_job, django_capture_on_commit_callbacks):
    job = run_job("member", "tests.crash")
    assert job.status == JobStatus.FAILED and job.can_restart
    with django_capture_on_commit_callbacks(execute=True):
        new = services.job_restart(actor=job.owner, job=job)
    new.refresh_from_db()
    assert new.pk != job.pk and new.status == JobStatus.FAILED and new.started_at is not None
    with pytest.raises(Job.DoesNotExist):
        services.job_restart(actor=User.objects.get(username="branch_secretary"), job=job)
