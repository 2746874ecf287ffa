from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import mark_all_read
from .permissions import public, require_perm
from .search import global_search


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@require_perm("search.global")
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    return render(request, "common/search.html", {"q": q, "groups": global_search(request.user, q) if q else []})


@require_perm("shell.use")
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "common/notifications.html", {"page": page})


@require_POST
@require_perm("shell.use")
def notifications_read(request: HttpRequest) -> HttpResponse:
    mark_all_read(user=request.user)
    return redirect("notifications")
