from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_ids
from hongyin.enterprises.permissions import enterprises_visible_to

from . import selectors, services
from .models import MAX_LEVELS, GridCell
from .permissions import get_cell_for_user_or_404


def _days(request) -> int:
    try:
        return max(1, min(int(request.GET.get("days", selectors.DEFAULT_VISIT_DAYS)), 3650))
    except ValueError:
        return selectors.DEFAULT_VISIT_DAYS


@require_perm("grid.view")
def coverage(request: HttpRequest) -> HttpResponse:
    """两个覆盖 for a cell's subtree; each child row drills down."""
    cell = get_cell_for_user_or_404(request.user, request.GET["cell"]) if request.GET.get("cell") else None
    report = selectors.coverage_for(request.user, cell=cell, days=_days(request))
    if report is None:
        return render(request, "grid/coverage.html", {"report": None})
    cell = report.cell
    ancestors = GridCell.objects.filter(
        path__in=[cell.path[:i] for i in range(GridCell.steplen, len(cell.path), GridCell.steplen)]
    ).order_by("path")
    officers = selectors.officers_of(cell)
    template = "grid/coverage.html#report" if request.htmx else "grid/coverage.html"
    return render(
        request,
        template,
        {
            "report": report,
            "cell": cell,
            "ancestors": ancestors,
            "officers": officers,
            "can_manage": request.user.has_role_perm("grid.manage") and cell.level < MAX_LEVELS,
        },
    )


@require_perm("grid.manage")
def cell_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_cell_for_user_or_404(request.user, pk, "grid.manage")
    if request.method == "POST":
        try:
            cell = services.grid_cell_create(actor=request.user, parent=parent, name=request.POST.get("name", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已新增网格 %(c)s。") % {"c": cell.code})
    return redirect(f"/grid/?cell={parent.pk}")


@require_perm("grid.view")
def lacking(request: HttpRequest, pk: int) -> HttpResponse:
    cell = get_cell_for_user_or_404(request.user, pk)
    what = "instructor" if request.GET.get("what") == "instructor" else "org"
    qs = selectors.lacking(cell, what, base=enterprises_visible_to(request.user))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grid/lacking.html",
        {
            "cell": cell,
            "what": what,
            "page": page,
            "can_assign": request.user.has_role_perm("enterprises.assign_instructors"),
        },
    )


@require_perm("enterprises.assign_instructors")
def assign_instructors(request: HttpRequest, pk: int) -> HttpResponse:
    """Bulk assignment: the chosen instructor account for the ticked enterprises lacking one."""
    from hongyin.accounts.models import User

    cell = get_cell_for_user_or_404(request.user, pk)
    if request.method != "POST":
        return redirect(f"/grid/cells/{cell.pk}/lacking/?what=instructor")
    try:
        ids = posted_ids(request.POST.getlist("enterprise"), _("企业"), field="enterprise")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"/grid/cells/{cell.pk}/lacking/?what=instructor")
    username = request.POST.get("instructor", "").strip()
    # only an existing instructor: any other account (an admin, a member) is answered like an unknown one
    instructor = User.objects.filter(username=username, is_active=True, role_assignments__role="instructor").first()
    if instructor is None:
        messages.error(request, _("指导员账号“%(u)s”不存在。") % {"u": username})
    elif not ids:
        messages.error(request, _("请至少勾选一家企业。"))
    else:
        enterprises = list(enterprises_visible_to(request.user, "enterprises.assign_instructors").filter(pk__in=ids))
        try:
            n = services.instructors_assign(actor=request.user, instructor=instructor, enterprises=enterprises)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已为 %(n)s 家企业选派党建指导员。") % {"n": n})
    return redirect(f"/grid/cells/{cell.pk}/lacking/?what=instructor")
