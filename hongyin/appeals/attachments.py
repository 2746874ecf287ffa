"""Attachments of appeals and visits, kept outside the web root and served only through a scoped view.

A small checked save: type whitelist, size limit, random name under PRIVATE_MEDIA_ROOT."""

import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError

ALLOWED = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls", ".txt"}


def save_attachment(upload, folder: str) -> tuple[str, str, int]:
    """(relative path, original name, size). Refuses unknown types and files over the upload limit."""
    name = Path(upload.name).name[:200]
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED:
        raise DomainError(_("不支持的附件类型：%(e)s。") % {"e": ext or "?"}, field="attachment")
    limit = getattr(settings, "HONGYIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise DomainError(_("附件不能超过 %(m)s MB。") % {"m": limit // (1024 * 1024)}, field="attachment")
    rel = f"{folder}/{uuid.uuid4().hex}{ext}"
    target = Path(settings.PRIVATE_MEDIA_ROOT) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return rel, name, upload.size


def attachment_path(rel: str) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / rel).resolve()
    if root not in path.parents:
        raise DomainError(_("附件路径无效。"))
    return path
