import tempfile

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.common.exports import write_xlsx
from hongyin.common.permissions import require_perm

from . import services as audit
from .labels import action_label
from .models import AuditEvent
from .selectors import AuditFilterForm, audit_search
from .templatetags.audit_labels import object_type_label

EXPORT_LIMIT = 200_000


@require_perm("audit.view")
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(audit_search(form), 50).get_page(request.GET.get("page"))
    template = "audit/list.html#rows" if request.htmx else "audit/list.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@require_perm("audit.view")
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "audit/detail.html", {"event": get_object_or_404(AuditEvent, pk=pk)})


# A code column keeps the stored value (for scripts and the archive), the column before it reads in the
# reader's language.
HEADERS = [
    "编号",
    "时间",
    "操作人",
    "IP 地址",
    "操作",
    "操作代码",
    "对象类型",
    "对象类型代码",
    "对象编号",
    "对象",
    "组织路径",
    "结果",
    "详情",
    "哈希",
]


@require_perm("audit.export")
def event_export(request: HttpRequest) -> HttpResponse:
    """The search result as xlsx (streamed from a temporary file; constant memory), watermarked and audited."""
    form = AuditFilterForm(request.GET or None)
    qs = audit_search(form).order_by("id")[:EXPORT_LIMIT]
    actions, types = {}, {}  # a few hundred distinct codes at most: each labelled once
    rows = (
        (
            e.id,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.ip or "",
            actions.setdefault(e.action, action_label(e.action)),
            e.action,
            types.setdefault(e.object_type, object_type_label(e.object_type)),
            e.object_type,
            e.object_id,
            e.object_repr,
            e.org_path,
            e.get_result_display(),
            str(e.details),
            e.hash,
        )
        for e in qs.iterator(chunk_size=2000)
    )
    handle = tempfile.TemporaryFile(dir=settings.PRIVATE_MEDIA_ROOT if _ensure_private() else None)  # noqa: SIM115
    count = write_xlsx(handle, [_(h) for h in HEADERS], rows, user=request.user, title="audit")
    filters = {k: v for k, v in request.GET.items() if k != "page"}
    audit.record(actor=request.user, action="audit.export", details={"rows": count, "filters": filters})
    handle.seek(0)
    name = f"audit-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)


def _ensure_private() -> bool:
    from pathlib import Path

    Path(settings.PRIVATE_MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    return True
