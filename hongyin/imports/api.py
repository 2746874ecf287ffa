"""The one import API of every kind: the kinds I may run, upload (a check or a commit), the result, confirm."""

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.jobs.services import job_read_json

from . import services
from .registry import KINDS, kind_of_job

router = Router(tags=["imports"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ROUTERS = {"/imports": router}  # mounted by hongyin.site.api


class ImportColumnOut(Schema):
    key: str
    label: str
    required: bool


class ImportTargetOut(Schema):
    id: int
    label: str


class ImportKindOut(Schema):
    key: str
    title: str
    preview_first: bool
    columns: list[ImportColumnOut]
    target_label: str = ""
    targets: list[ImportTargetOut] = []
    default_target: int | None = None


class ImportUploadOut(Schema):
    job_id: int
    status: str
    dry_run: bool


class ImportRowErrorOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportJobOut(Schema):
    job_id: int
    kind: str
    status: str
    message: str
    dry_run: bool
    target: str = ""
    total: int | None = None
    valid: int | None = None
    created: int | None = None
    error_count: int | None = None
    can_confirm: bool = False
    preview: list[dict] = []
    errors: list[ImportRowErrorOut] = []


@router.get("/kinds", response={200: list[ImportKindOut], **ERRORS}, summary="The import kinds I may run")
@api_perm("jobs.view")
def kinds(request):
    out = []
    for kind in KINDS.values():
        if not request.auth.has_role_perm(kind.perm):
            continue
        item = {
            "key": kind.key,
            "title": str(kind.title),
            "preview_first": kind.preview_first,
            "columns": [{"key": c.key, "label": c.label, "required": c.required} for c in kind.spec.columns],
        }
        if kind.target is not None:
            item["target_label"] = str(kind.target.label)
            item["targets"] = [{"id": pk, "label": label.strip()} for pk, label in kind.target.options(request.auth)]
            item["default_target"] = kind.target.default(request.auth)
        out.append(item)
    return out


@router.post("", response={202: ImportUploadOut, **ERRORS}, summary="Upload an xlsx of a kind; runs as a job")
@api_perm("jobs.view")
def upload(
    request,
    file: File[UploadedFile],
    kind: Form[str],
    target: Form[int | None] = None,
    dry_run: Form[bool | None] = None,
):
    """A check (dry run: preview and errors, nothing written; confirm it afterwards) by default for kinds with a
    confirm step; `dry_run=false` commits at once, all or nothing. `target` is where rows without their own
    column go (e.g. the branch of a roster without a branch column; default: the kind's default_target in
    /kinds, such as a branch secretary's own branch)."""
    job = services.import_upload(actor=request.auth, kind=kind, upload=file, target=target, dry_run=dry_run)
    return 202, {"job_id": job.pk, "status": job.status, "dry_run": bool(job.params.get("dry_run"))}


def _job_out(request, job) -> dict:
    kind = kind_of_job(job)
    summary = job_read_json(job, "result.json") if job.finished else None
    out = {
        "job_id": job.pk,
        "kind": kind.key if kind else "",
        "status": job.status,
        "message": job.message,
        "dry_run": bool(job.params.get("dry_run")),
    }
    if summary is not None:
        out.update({k: summary.get(k) for k in ("total", "valid", "created", "error_count")})
        out["target"] = summary.get("target") or ""
        out["errors"] = summary.get("errors", [])
        out["preview"] = summary.get("preview", [])
        out["can_confirm"] = bool(
            out["dry_run"]
            and job.status == "succeeded"
            and not summary.get("error_count")
            and summary.get("total")
            and not job.params.get("confirmed")
        )
    return out


@router.get("/jobs/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="Result of one of my imports")
@api_perm("jobs.view")
def result(request, job_id: int):
    job = get_object_or_404(services.import_jobs(request.auth), pk=job_id)
    return _job_out(request, job)


@router.post("/jobs/{job_id}/confirm", response={202: ImportJobOut, **ERRORS}, summary="Commit a checked file")
@api_perm("jobs.view")
def confirm(request, job_id: int):
    job = get_object_or_404(services.import_jobs(request.auth), pk=job_id)
    new = services.import_confirm(actor=request.auth, job=job)
    return 202, _job_out(request, new)
