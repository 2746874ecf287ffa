"""Starting and confirming imports: the one upload service of every kind (pages and API call these)."""

import uuid
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.excel import max_upload_bytes
from hongyin.jobs.models import Job, JobStatus
from hongyin.jobs.services import job_read_json, job_start

from .pipeline import upload_root
from .registry import ImportKind, get_kind, kind_of_job


def resolve_target(actor, kind: ImportKind, pk):
    """The kind's target object chosen by pk, inside the actor's scope; None when not chosen."""
    if kind.target is None or pk in (None, ""):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise DomainError(_("请选择有效的导入位置。"), field="target") from None
    found = kind.target.resolve(actor, pk)
    if found is None:
        raise DomainError(_("所选的%(t)s不存在或不在您的管理范围内。") % {"t": kind.target.label}, field="target")
    return found


def default_target(actor, kind: ImportKind):
    if kind.target is None:
        return None
    return kind.target.default(actor)


def _kind_for(actor, key: str) -> ImportKind:
    kind = get_kind(key)
    if kind is None:
        raise DomainError(_("请选择导入类型。"), field="kind")
    if not actor.has_role_perm(kind.perm):
        raise PermissionDenied
    return kind


@transaction.atomic
def import_upload(*, actor, kind: str, upload, target=None, dry_run: bool | None = None) -> Job:
    """Store an uploaded .xlsx privately and start its check (or, for a kind without a confirm step or when
    dry_run=False is asked, its commit) as a background job. `upload` has .name, .size and .chunks()."""
    kind_ = _kind_for(actor, kind)
    name = (getattr(upload, "name", "") or "")[:80]
    if upload is None:
        raise DomainError(_("请选择要上传的文件。"), field="file")
    if upload.size > max_upload_bytes():
        raise DomainError(_("文件太大（不超过 %(n)s MB）。") % {"n": max_upload_bytes() // (1024 * 1024)}, field="file")
    if "." in name and not name.lower().endswith(".xlsx"):  # a name without a suffix (an API client): read it
        raise DomainError(_("请上传 .xlsx 格式的 Excel 文件。"), field="file")
    chosen = resolve_target(actor, kind_, target)
    if chosen is None and kind_.target is not None:  # e.g. a branch secretary's own branch
        chosen = resolve_target(actor, kind_, kind_.target.default(actor))
    if dry_run is None:
        dry_run = kind_.preview_first
    path = upload_root() / f"{uuid.uuid4().hex}.xlsx"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    params = {"kind": kind_.key, "path": str(path), "dry_run": bool(dry_run), "name": name}
    if chosen is not None:
        params["target"] = chosen.pk
    title = (_("检查导入文件：%(n)s") if dry_run else _("导入%(what)s：%(n)s")) % {"n": name, "what": kind_.title}
    job = job_start(actor=actor, kind=kind_.job, title=title[:200], params=params)
    audit.record(
        actor=actor,
        action="import.upload",
        obj=job,
        details={"kind": kind_.key, "file": name, "dry_run": bool(dry_run), "target": str(chosen or "")},
    )
    return job


def import_jobs(actor):
    from .registry import job_kinds

    return Job.objects.filter(owner=actor, kind__in=job_kinds())


@transaction.atomic
def import_confirm(*, actor, job: Job) -> Job:
    """Commit a checked file: the actor's own check that passed, whose file is still there."""
    job = import_jobs(actor).select_for_update().filter(pk=job.pk).first()
    if job is None:
        raise NotFound
    kind = kind_of_job(job)
    if kind is None or not actor.has_role_perm(kind.perm):
        raise PermissionDenied
    if not job.params.get("dry_run") or job.status != JobStatus.SUCCEEDED:
        raise DomainError(_("只能确认已检查通过的文件。"))
    summary = job_read_json(job, "result.json") or {}
    if summary.get("error_count") or summary.get("fatal") or not summary.get("total"):
        raise DomainError(_("文件检查发现问题，不能导入。请修改后重新上传。"))
    if job.params.get("confirmed"):
        raise DomainError(_("该文件已确认导入，请勿重复提交。"))
    if not Path(job.params["path"]).exists():
        raise DomainError(_("上传的文件已过期，请重新上传。"))
    resolve_target(actor, kind, job.params.get("target"))  # still in scope
    job.params = {**job.params, "confirmed": True}
    job.save(update_fields=["params"])
    new = job_start(
        actor=actor,
        kind=job.kind,
        title=(_("导入：%(n)s") % {"n": job.params.get("name", "")})[:200],
        params={**job.params, "dry_run": False, "confirmed": False, "checked_by_job": job.pk},
    )
    audit.record(actor=actor, action="import.confirm", obj=new, details={"kind": kind.key, "checked_job": job.pk})
    return new
