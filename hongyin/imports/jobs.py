"""The one job runner of every import kind (registered under each kind's job name by registry.register)."""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.jobs.registry import RUNNERS, job_kind
from hongyin.jobs.services import job_dir, job_save_file


def register_runner(job: str) -> None:
    if job not in RUNNERS:
        job_kind(job)(run_import_job)


def summary_of(result, kind, target) -> dict:
    return {
        "kind": kind.key,
        "title": str(kind.title),
        "target": str(target) if target is not None else "",
        "total": result.total,
        "valid": result.valid,
        "created": result.created,
        "error_count": result.error_count,
        "dry_run": result.dry_run,
        "ignored_columns": result.ignored_columns,
        "preview": result.preview,
        "errors": [e.__dict__ for e in result.errors[:100]],
    }


def run_import_job(job, progress):
    from .pipeline import error_lines, import_file
    from .registry import kind_of_job
    from .services import resolve_target

    kind = kind_of_job(job)
    params = job.params
    out = job_dir(job)
    try:
        if kind is None:
            raise DomainError(_("未知的导入类型。"))
        target = resolve_target(job.owner, kind, params.get("target"))
        result, report = import_file(
            actor=job.owner,
            kind=kind,
            path=Path(params["path"]),
            dry_run=bool(params.get("dry_run", True)),
            target=target,
            progress=progress,
            out_dir=out,
            name=params.get("name", ""),
        )
    except DomainError as exc:
        job_save_file(job, "result.json", json.dumps({"fatal": exc.message}, ensure_ascii=False))
        raise
    job_save_file(job, "result.json", json.dumps(summary_of(result, kind, target), ensure_ascii=False, default=str))
    if result.error_count:
        if kind.preview_first:
            message = _("共 %(t)s 行，发现 %(e)s 处问题，未写入任何数据。请下载错误报告修改后重新上传。") % {
                "t": result.total,
                "e": result.error_count,
            }
        else:
            message = error_lines(result)
        return report, _("导入错误报告.xlsx"), message
    if result.dry_run:
        return None, "", _("检查通过：共 %(t)s 行，可以确认导入。") % {"t": result.total}
    if kind.preview_first:
        return None, "", _("导入完成：新增 %(n)s 条。") % {"n": result.created}
    return None, "", _("导入完成：写入 %(n)s 行。") % {"n": result.created}
