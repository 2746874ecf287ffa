import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from .models import Job, JobStatus
from .registry import RUNNERS
from .storage import job_storage

HEARTBEAT_EVERY = timedelta(seconds=30)  # a running job writes at least this often, progress or not


def _stale_message() -> str:
    return _("任务执行进程已中断，请重新运行。")


def job_dir(job: Job) -> Path:
    """A local scratch folder for the runner (this machine only, removed after the run): results the runner returns
    from it are moved into the "jobs" storage by `job_execute`; summaries go there with `job_save_file`."""
    scratch = getattr(job, "_scratch", None)
    if scratch is None:
        scratch = Path(tempfile.mkdtemp(prefix=f"hongyin-job-{job.pk}-"))
        job._scratch = scratch
    return scratch


def _storage_name(job: Job, filename: str) -> str:
    return f"{job.pk}/{Path(filename).name}"


def job_save_file(job: Job, filename: str, content: bytes | str | File) -> str:
    """Store a file of the job (a result, a summary) through the storage API; returns its name in the storage."""
    storage = job_storage()
    name = _storage_name(job, filename)
    if storage.exists(name):
        storage.delete(name)
    if isinstance(content, str):
        content = content.encode("utf-8")
    if isinstance(content, bytes):
        content = ContentFile(content)
    return storage.save(name, content)


def job_read_json(job: Job, filename: str = "result.json") -> dict | None:
    """A JSON file the job stored (e.g. an import's summary), or None."""
    storage = job_storage()
    name = _storage_name(job, filename)
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as fh:
        return json.loads(fh.read().decode("utf-8"))


def job_result_file(job: Job) -> File | None:
    """The job's result file opened for reading, or None (no file, gone, or not this job's)."""
    name = job.result_file
    if not name or not name.startswith(f"{job.pk}/"):
        return None
    storage = job_storage()
    try:
        if not storage.exists(name):
            return None
        return storage.open(name, "rb")
    except Exception:  # SuspiciousFileOperation for a name outside the storage, or a backend error
        return None


@transaction.atomic
def job_start(*, actor, kind: str, title: str, params: dict | None = None) -> Job:
    if kind not in RUNNERS:
        raise DomainError(_("未知的任务类型。"))
    job = Job.objects.create(kind=kind, title=title, owner=actor, params=params or {})
    audit.record(actor=actor, action="job.start", obj=job, details={"kind": kind})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job(job.pk))
    return job


@transaction.atomic
def job_restart(*, actor, job: Job) -> Job:
    """Run a failed job again for its owner (a fresh job with the same kind and parameters)."""
    if job.owner_id != getattr(actor, "pk", None):
        raise Job.DoesNotExist  # another user's job does not exist for this actor (404)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.can_restart:
        raise DomainError(_("只有失败的任务可以重新运行。"))
    if job.kind not in RUNNERS:
        raise DomainError(_("未知的任务类型。"))
    new = Job.objects.create(kind=job.kind, title=job.title, owner=actor, params=job.params)
    audit.record(actor=actor, action="job.restart", obj=new, details={"kind": job.kind, "from_job": job.pk})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job(new.pk))
    return new


def stale_before(now=None):
    return (now or timezone.now()) - timedelta(seconds=settings.HONGYIN_JOB_STALE_SECONDS)


def mark_stale_jobs(*, job: Job | None = None) -> int:
    """A RUNNING job whose heartbeat is older than HONGYIN_JOB_STALE_SECONDS lost its worker: mark it failed.

    Called by the periodic task for every job and by the job page for the one shown. Returns how many were marked."""
    now = timezone.now()
    cutoff = stale_before(now)
    qs = Job.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    if job is not None:
        qs = qs.filter(pk=job.pk)
    marked = 0
    for pk in list(qs.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            stale = Job.objects.select_for_update().filter(pk=pk, status=JobStatus.RUNNING).first()
            beat = stale.heartbeat_at or stale.started_at if stale is not None else None
            if beat is None or beat >= cutoff:
                continue
            Job.objects.filter(pk=pk).update(status=JobStatus.FAILED, message=_stale_message(), finished_at=now)
            audit.record(
                action="job.stale",
                obj=stale,
                details={"kind": stale.kind, "owner": stale.owner_id, "heartbeat_at": beat},
            )
            marked += 1
    return marked


class Progress:
    """Handed to a runner: `progress(done, total)` writes at most every 2% (or every 30 s, the heartbeat) so the
    row is not hammered."""

    def __init__(self, job: Job):
        self.job = job
        self._last = -1
        self._beat = timezone.now()

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.job.total = total
        self.job.done = done
        pct = self.job.percent
        now = timezone.now()
        if pct - self._last >= 2 or done == self.job.total or now - self._beat >= HEARTBEAT_EVERY:
            self._last, self._beat = pct, now
            Job.objects.filter(pk=self.job.pk).update(done=done, total=self.job.total, heartbeat_at=now)


def _store_result(job: Job, result_path) -> str:
    """The runner wrote its result on this machine; it goes to the "jobs" storage, where any server finds it."""
    if not result_path:
        return ""
    path = Path(result_path)
    with path.open("rb") as fh:
        return job_save_file(job, path.name, File(fh))


def job_execute(job_id: int) -> Job:
    job = Job.objects.get(pk=job_id)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    job.status = JobStatus.RUNNING
    try:
        result_path, name, message = RUNNERS[job.kind](job, Progress(job))
        result_name = _store_result(job, result_path)
    except DomainError as exc:
        status, result_name, name, message = JobStatus.FAILED, "", "", exc.message
    except Exception:
        import logging

        logging.getLogger("hongyin.jobs").exception("job %s failed", job.pk)
        status, result_name, name, message = (
            JobStatus.FAILED,
            "",
            "",
            _("任务执行出错，数据未被修改。请联系系统管理员。"),
        )
    else:
        status = JobStatus.SUCCEEDED
    scratch = getattr(job, "_scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    job.refresh_from_db()
    job.status = status
    job.message = message or ""
    job.result_file = result_name
    job.result_name = name or ""
    job.finished_at = timezone.now()
    if status == JobStatus.SUCCEEDED and job.total and job.done < job.total:
        job.done = job.total
    job.save()
    return job
