from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hongyin.common.permissions import require_perm

from .selectors import AuditFilterForm, audit_search


@require_perm("audit.view")
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(audit_search(form), 50).get_page(request.GET.get("page"))
    template = "audit/list.html#rows" if request.htmx else "audit/list.html"
    return render(request, template, {"form": form, "page": page})


@require_perm("audit.view")
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import AuditEvent

    return render(request, "audit/detail.html", {"event": get_object_or_404(AuditEvent, pk=pk)})
