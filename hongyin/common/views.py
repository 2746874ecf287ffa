from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import mark_all_read, mark_read
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


@require_perm("shell.use")
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The link of a notification: marks it read, then goes to its target (a local URL only)."""
    note = Notification.objects.filter(pk=pk, user=request.user).first()
    if note is None:
        raise Http404
    mark_read(user=request.user, notification=note)
    url = note.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notifications")


@require_POST
@require_perm("shell.use")
def notifications_read(request: HttpRequest) -> HttpResponse:
    mark_all_read(user=request.user)
    return redirect("notifications")
