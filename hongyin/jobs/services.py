from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from .models import Job, JobStatus
from .registry import RUNNERS


def job_dir(job: Job) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "jobs" / str(job.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def job_start(*, actor, kind: str, title: str, params: dict | None = None) -> Job:
    if kind not in RUNNERS:
        raise DomainError(_("未知的任务类型。"))
    job = Job.objects.create(kind=kind, title=title, owner=actor, params=params or {})
    audit.record(actor=actor, action="job.start", obj=job, details={"kind": kind})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job(job.pk))
    return job


class Progress:
    """Handed to a runner: `progress(done, total)` writes at most every 2% so the row is not hammered."""

    def __init__(self, job: Job):
        self.job = job
        self._last = -1

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.job.total = total
        self.job.done = done
        pct = self.job.percent
        if pct - self._last >= 2 or done == self.job.total:
            self._last = pct
            Job.objects.filter(pk=self.job.pk).update(done=done, total=self.job.total)


def job_execute(job_id: int) -> Job:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING
    try:
        result_path, name, message = RUNNERS[job.kind](job, Progress(job))
    except DomainError as exc:
        status, result_path, name, message = JobStatus.FAILED, None, "", exc.message
    except Exception:
        import logging

        logging.getLogger("hongyin.jobs").exception("job %s failed", job.pk)
        status, result_path, name, message = (
            JobStatus.FAILED,
            None,
            "",
            _("任务执行出错，数据未被修改。请联系系统管理员。"),
        )
    else:
        status = JobStatus.SUCCEEDED
    job.refresh_from_db()
    job.status = status
    job.message = message or ""
    job.result_file = str(result_path) if result_path else ""
    job.result_name = name or ""
    job.finished_at = timezone.now()
    if status == JobStatus.SUCCEEDED and job.total and job.done < job.total:
        job.done = job.total
    job.save()
    return job
