"""Background runners: roster imports (members, organizations). Registered from MembersConfig.ready()."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.excel import run_import, write_error_report
from hongyin.jobs.registry import job_kind
from hongyin.jobs.services import job_dir, job_save_file


def upload_root() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spec_for(kind: str, actor):
    if kind == "orgs":
        from hongyin.orgs.imports import OrgImport

        return OrgImport(actor=actor)
    from .imports import MemberImport

    return MemberImport(actor=actor)


def import_file(*, actor, path: Path, kind: str, dry_run: bool, progress=None, out_dir: Path | None = None):
    """Run one import; returns (result, error report path or None). Also used by tests and the bench."""
    path = Path(path).resolve()
    if not path.is_relative_to(upload_root().resolve()) and out_dir is None:
        raise DomainError(_("找不到上传的文件。"))
    spec = spec_for(kind, actor)
    result = run_import(spec, path, dry_run=dry_run, progress=progress)
    report = None
    if result.errors and out_dir is not None:
        report = out_dir / "errors.xlsx"
        write_error_report(report, result, user=actor)
    audit.record(
        actor=actor,
        action=f"{kind}.import" if not dry_run else f"{kind}.import_check",
        details={"rows": result.total, "errors": result.error_count, "created": result.created},
    )
    return result, report


@job_kind("members.import")
def run_member_import(job, progress):
    params = job.params
    out = job_dir(job)
    kind = params.get("kind", "members")
    try:
        result, report = import_file(
            actor=job.owner,
            path=Path(params["path"]),
            kind=kind,
            dry_run=bool(params.get("dry_run", True)),
            progress=progress,
            out_dir=out,
        )
    except DomainError as exc:
        job_save_file(job, "result.json", json.dumps({"fatal": exc.message}, ensure_ascii=False))
        raise
    summary = {
        "total": result.total,
        "valid": result.valid,
        "created": result.created,
        "error_count": result.error_count,
        "dry_run": result.dry_run,
        "ignored_columns": result.ignored_columns,
        "preview": result.preview,
        "errors": [e.__dict__ for e in result.errors[:100]],
    }
    job_save_file(job, "result.json", json.dumps(summary, ensure_ascii=False, default=str))
    if result.error_count:
        message = _("共 %(t)s 行，发现 %(e)s 处问题，未写入任何数据。请下载错误报告修改后重新上传。") % {
            "t": result.total,
            "e": result.error_count,
        }
        return report, _("导入错误报告.xlsx"), message
    if result.dry_run:
        return None, "", _("检查通过：共 %(t)s 行，可以确认导入。") % {"t": result.total}
    return None, "", _("导入完成：新增 %(n)s 条。") % {"n": result.created}
