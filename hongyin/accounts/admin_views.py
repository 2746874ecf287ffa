"""Pages of the separated administrators: the system admin manages accounts, the security admin grants roles."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hongyin.common.permissions import require_perm

from .models import RoleAssignment, User


@require_perm("accounts.manage_users")
def user_list(request: HttpRequest) -> HttpResponse:
    qs = User.objects.order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(display_name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@require_perm("accounts.manage_roles")
def role_list(request: HttpRequest) -> HttpResponse:
    qs = RoleAssignment.objects.select_related("user", "org", "grid_cell", "enterprise", "department").order_by(
        "user__username", "role"
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/role_list.html", {"page": page})
