"""Uploaded files (attachments) for every app: size-limited, type-checked by content, stored outside static files
under PRIVATE_MEDIA_ROOT, never executed, served only as downloads (Content-Disposition: attachment).

    from hongyin.common.uploads import attachment_save, attachment_response
    att = attachment_save(actor=request.user, upload=request.FILES["file"], owner=appeal, allowed={"pdf", "png"})
    ...
    # in a view that has already checked the owner is in the user's scope:
    return attachment_response(att)

The owner is any model instance (stored as its label and pk); scope checks stay with the owning app.
"""

import hashlib
import re
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import hooks
from .errors import DomainError

KINDS = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPG"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg", "xlsx": "xlsx", "docx": "docx"}
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 10_000


def sniff(head: bytes, fileobj=None) -> str | None:
    """The kind of a file from its content (magic bytes; for Office files the zip's own structure)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and fileobj is not None:
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as zf:
                infos = zf.infolist()
                names = {i.filename for i in infos}
                total = sum(i.file_size for i in infos)
                packed = sum(i.compress_size for i in infos) or 1
                if len(infos) > ZIP_MAX_MEMBERS or total > ZIP_MAX_UNCOMPRESSED or total / packed > ZIP_MAX_RATIO:
                    return "zipbomb"
                if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                    return "xlsx"
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return "docx"
        except (zipfile.BadZipFile, OSError, EOFError):
            return None
    return None


class Attachment(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_label = models.CharField(gettext_lazy("所属对象类型"), max_length=64, blank=True)
    owner_id = models.CharField(gettext_lazy("所属对象编号"), max_length=64, blank=True)
    name = models.CharField(gettext_lazy("文件名"), max_length=200)
    kind = models.CharField(gettext_lazy("类型"), max_length=8)
    size = models.PositiveBigIntegerField(gettext_lazy("大小"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)

    class Meta:
        app_label = "common"
        verbose_name = gettext_lazy("附件")
        verbose_name_plural = gettext_lazy("附件")
        indexes = [models.Index(fields=["owner_label", "owner_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def full_path(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.path


def _safe_name(name: str) -> str:
    base = Path(str(name or "file")).name
    base = re.sub(r"[\x00-\x1f\\/:*?\"<>|]", "_", base).strip(" .") or "file"
    return base[-150:]


@transaction.atomic
def attachment_save(*, actor, upload, owner=None, allowed=frozenset(KINDS), max_bytes: int | None = None) -> Attachment:
    """Check and store one uploaded file. Raises DomainError (Chinese message) and writes nothing when refused."""
    limit = max_bytes or settings.HONGYIN_UPLOAD_MAX_BYTES
    name = _safe_name(getattr(upload, "name", "file"))
    size = getattr(upload, "size", None)
    if size is None or size <= 0:
        raise DomainError(_("文件为空。"), field="file")
    if size > limit:
        raise DomainError(
            _("文件过大（%(s).1f MB），上限为 %(m).0f MB。") % {"s": size / 1048576, "m": limit / 1048576}, field="file"
        )
    ext = EXTENSIONS.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    labels = "、".join(KINDS[k][1] for k in sorted(allowed))
    if kind == "zipbomb":
        raise DomainError(_("压缩内容异常（解压后过大），已拒绝。"), field="file")
    if kind is None or kind not in allowed:
        raise DomainError(_("文件类型不受支持，只接受：%(k)s。") % {"k": labels}, field="file")
    if ext != kind:
        raise DomainError(_("文件扩展名与实际内容不符（内容为 %(k)s）。") % {"k": KINDS[kind][1]}, field="file")
    uid = uuid.uuid4()
    rel = Path(f"{timezone.now():%Y/%m}") / f"{uid.hex}.bin"  # never the user's name or extension on disk
    full = Path(settings.PRIVATE_MEDIA_ROOT) / rel
    full.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    upload.seek(0)
    with open(full, "wb") as out:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
            digest.update(chunk)
            out.write(chunk)
    full.chmod(0o600)
    att = Attachment.objects.create(
        uid=uid,
        owner_label=owner._meta.label_lower if owner is not None else "",
        owner_id=str(owner.pk) if owner is not None else "",
        name=name,
        kind=kind,
        size=size,
        sha256=digest.hexdigest(),
        path=str(rel),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    hooks.call_one(
        hooks.AUDIT_RECORD, actor=actor, action="attachment.upload", obj=att, details={"kind": kind, "size": size}
    )
    return att


def attachment_response(att: Attachment) -> FileResponse:
    """A download only: attachment disposition, no sniffing, sandboxed. The caller checks scope first."""
    path = att.full_path
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    if not path.resolve().is_relative_to(root) or not path.exists():
        raise Http404
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=att.name, content_type=KINDS[att.kind][0])  # noqa: SIM115
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
