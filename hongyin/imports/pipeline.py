"""One import run of any kind: read and check the file (hongyin.common.excel), report every error, and on a
commit write everything in one transaction together with the import's audit event."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.excel import ImportResult, run_import, write_error_report

from .registry import ImportKind


def upload_root() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _details(kind: ImportKind, result: ImportResult, target, name: str) -> dict:
    details = {"kind": kind.key, "rows": result.total, "errors": result.error_count, "created": result.created}
    if target is not None:
        details["target"] = str(target)
    if name:
        details["file"] = name[:80]
    return details


def import_file(
    *,
    actor,
    kind: ImportKind,
    path,
    dry_run: bool,
    target=None,
    progress=None,
    out_dir: Path | None = None,
    name: str = "",
    anywhere: bool = False,
) -> tuple[ImportResult, Path | None]:
    """Run one import of `kind`; returns (result, error report path or None). `anywhere` lets tests and the
    bench read a file outside the upload folder."""
    path = Path(path).resolve()
    if not anywhere and not path.is_relative_to(upload_root().resolve()):
        raise DomainError(_("找不到上传的文件。"))
    if actor is not None and not actor.has_role_perm(kind.perm):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    spec = kind.build_spec(actor=actor, target=target)
    org = target if getattr(target, "_meta", None) and target._meta.label_lower == "orgs.organization" else None

    def record_commit(result: ImportResult) -> None:  # inside the commit's transaction
        audit.record(actor=actor, action=f"{kind.key}.import", org=org, details=_details(kind, result, target, name))

    result = run_import(spec, path, dry_run=dry_run, progress=progress, on_commit=record_commit)
    report = None
    if result.errors and out_dir is not None:
        report = Path(out_dir) / "errors.xlsx"
        write_error_report(report, result, user=actor)
    if dry_run or result.error_count:  # nothing written: the check is recorded on its own
        audit.record(
            actor=actor, action=f"{kind.key}.import_check", org=org, details=_details(kind, result, target, name)
        )
    return result, report


def error_lines(result: ImportResult, limit: int = 20) -> str:
    lines = [_("第 %(r)s 行 %(c)s：%(m)s") % {"r": e.row, "c": e.column, "m": e.message} for e in result.errors[:limit]]
    head = _("共 %(t)s 行，发现 %(e)s 处问题，未写入任何数据。") % {"t": result.total, "e": result.error_count}
    return head + "\n" + "\n".join(lines)
