from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut

from . import services
from .models import Job, JobStatus

router = Router(tags=["jobs"])
ROUTERS = {"/jobs": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class BackgroundJobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    has_result: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None


def _out(job: Job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "has_result": bool(job.result_file),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
    }


def _my_job(request, job_id: int) -> Job:
    return get_object_or_404(Job.objects.filter(owner=request.auth), pk=job_id)


@router.get("/{job_id}", response={200: BackgroundJobOut, **ERRORS}, summary="One of my background jobs")
@api_perm("jobs.view")
def detail(request, job_id: int):
    job = _my_job(request, job_id)
    if job.status == JobStatus.RUNNING and services.mark_stale_jobs(job=job):
        job.refresh_from_db()
    return _out(job)


@router.post("/{job_id}/restart", response={201: BackgroundJobOut, **ERRORS}, summary="Run a failed job of mine again")
@api_perm("jobs.view")
def restart(request, job_id: int):
    new = services.job_restart(actor=request.auth, job=_my_job(request, job_id))
    return 201, _out(new)
