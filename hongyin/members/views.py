import tempfile
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.common import hooks
from hongyin.common.errors import DomainError
from hongyin.common.fields import mask_id_number, mask_phone
from hongyin.common.permissions import require_perm
from hongyin.imports import views as import_views
from hongyin.imports.services import import_jobs
from hongyin.jobs.models import Job
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import orgs_visible_to

from . import services
from .exports import export_members
from .forms import ExportUnmaskForm, MemberEditForm, MemberFilterForm, MemberForm, MemberLeaveForm, MemberMoveForm
from .permissions import can_view_personal_data, get_member_for_user_or_404
from .selectors import MemberFilter, member_list, own_member_record, timeline

PAGE_SIZES = (20, 50, 100)

# Apps above members add a card to the member page: `(request, member) -> HTML` (orglife: the art. 9 standing).
MEMBER_PAGE_EXTRAS = hooks.define("members.page_extras")


def _page_extras(request, member) -> list[str]:
    return [html for extra in hooks.registered(MEMBER_PAGE_EXTRAS) if (html := extra(request, member))]


def _org_options(user, perm="members.view", branches_only=False, selected=None):
    """Branches for forms; for the list filter only the committees and general branches (a branch is reached
    from its organization page), plus the selected one, so the filter stays small at zone scale."""
    qs = orgs_visible_to(user, perm).filter(dissolved_on__isnull=True)
    if branches_only:
        qs = qs.filter(kind__in=BRANCH_KINDS)
    else:
        qs = qs.exclude(kind__in=[*BRANCH_KINDS, "group"])
        if selected:
            qs = qs | orgs_visible_to(user, perm).filter(pk=selected)
    return [(o.pk, "　" * (o.depth - 1) + o.name) for o in qs.order_by("path").only("pk", "name", "depth")[:3000]]


def _filter_from(request) -> tuple[MemberFilterForm, MemberFilter]:
    form = MemberFilterForm(request.GET or None)
    f = MemberFilter()
    if form.is_valid():
        data = form.cleaned_data
        org = None
        if data.get("org"):
            org = orgs_visible_to(request.user, "members.view").filter(pk=data["org"]).first()
        f = MemberFilter(
            q=data.get("q") or "",
            org=org,
            category=data.get("category") or "",
            status=data.get("status") or "",
            education=data.get("education") or "",
            age=data.get("age") or "",
            joined_year=data.get("joined_year"),
            include_left=bool(data.get("include_left")),
            sort=data.get("sort") or "org",
        )
    return form, f


def _without(params, *keys) -> str:
    copy = params.copy()
    for key in keys:
        copy.pop(key, None)
    return copy.urlencode()


@require_perm("members.view")
def member_list_view(request: HttpRequest) -> HttpResponse:
    form, f = _filter_from(request)
    form.fields["org"].widget.choices = [
        ("", _("全部")),
        *_org_options(request.user, selected=f.org.pk if f.org else None),
    ]
    qs = member_list(request.user, f)
    try:
        size = int(request.GET.get("size", 20))
    except ValueError:
        size = 20
    size = size if size in PAGE_SIZES else 20
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    ctx = {
        "form": form,
        "page": page,
        "count": page.paginator.count,
        "show_names": can_view_personal_data(request.user),
        "can_unmask": can_view_personal_data(request.user),
        "can_manage": request.user.has_role_perm("members.manage"),
        "query": request.GET.urlencode(),
        "sort_query": _without(request.GET, "sort", "page"),
        "sort": f.sort,
    }
    if request.htmx and request.htmx.target == "member-rows":
        return render(request, "members/list.html#rows", ctx)
    return render(request, "members/list.html", ctx)


@require_perm("members.view")
def export(request: HttpRequest) -> HttpResponse:
    """GET: the file as the screen shows it (masked). POST with a reason: unmasked, audited as an unmasking."""
    _form, f = _filter_from(request)
    qs = member_list(request.user, f)
    unmask, reason = False, ""
    if request.method == "POST":
        form = ExportUnmaskForm(request.POST)
        if not can_view_personal_data(request.user):
            raise PermissionDenied
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(reverse("members:list") + (f"?{request.GET.urlencode()}" if request.GET else ""))
        unmask, reason = True, form.cleaned_data["reason"]
    handle = tempfile.TemporaryFile()  # noqa: SIM115  closed by FileResponse
    export_members(user=request.user, qs=qs, target=handle, filters=request.GET.dict(), unmask=unmask, reason=reason)
    handle.seek(0)
    name = _("党员名册_%(d)s.xlsx") % {"d": timezone.localdate().strftime("%Y%m%d")}
    return FileResponse(handle, as_attachment=True, filename=name)


@require_perm("members.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user_or_404(request.user, pk)
    return render(
        request,
        "members/detail.html",
        {
            "m": member,
            "id_masked": mask_id_number(member.id_number),
            "phone_masked": mask_phone(member.phone),
            "timeline": timeline(member),
            "posts": list(member.posts.select_related("org").order_by("-from_on")),
            "can_manage": request.user.has_role_perm("members.manage"),
            "can_reveal": can_view_personal_data(request.user),
            "extras": _page_extras(request, member),
        },
    )


@require_perm("members.self")
def my_record(request: HttpRequest) -> HttpResponse:
    """A member's own record: what the branch holds about them, with the same masking as everywhere."""
    member = own_member_record(request.user)
    if member is None:
        raise Http404
    return render(
        request,
        "members/detail.html",
        {
            "m": member,
            "own_record": True,
            "id_masked": mask_id_number(member.id_number),
            "phone_masked": mask_phone(member.phone),
            "timeline": timeline(member),
            "posts": list(member.posts.select_related("org").order_by("-from_on")),
            "extras": _page_extras(request, member),
        },
    )


def _member_form(request, form, member=None):
    form.fields["org"].widget.choices = _org_options(request.user, "members.manage", branches_only=True)
    return form


def _apply(form, func, **kwargs):
    try:
        return func(**kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _render_form(request, form, title, action, member=None, note=""):
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "title": title, "action": action, "m": member, "note": note}
    return render(request, "members/form.html", context, status=status)


@require_perm("members.manage")
def create(request: HttpRequest) -> HttpResponse:
    initial = {"org": request.GET.get("org"), "status": "full", "category": "employed", "ethnicity": "汉族"}
    form = _member_form(request, MemberForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = orgs_visible_to(request.user, "members.manage").filter(pk=data.pop("org")).first()
        if org is None:
            form.add_error("org", _("请选择您管理范围内的党支部。"))
        else:
            member = _apply(form, services.member_create, actor=request.user, org=org, **data)
            if member:
                messages.success(request, _("已登记党员 %(n)s。") % {"n": member.name})
                return redirect("members:detail", pk=member.pk)
    return _render_form(request, form, _("登记党员"), reverse("members:create"))


@require_perm("members.manage")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user_or_404(request.user, pk, perm="members.manage")
    initial = {f: getattr(member, f) for f in MemberEditForm.base_fields}
    form = MemberEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, services.member_update, actor=request.user, member=member, **form.cleaned_data)
    ):
        messages.success(request, _("已保存。"))
        return redirect("members:detail", pk=member.pk)
    note = _("党员状态、入党和转正日期、所在党支部只能通过发展党员、组织关系转接或离开党组织等流程办理。")
    return _render_form(request, form, _("修改党员信息"), reverse("members:edit", args=[pk]), member, note)


@require_perm("members.manage")
def move(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user_or_404(request.user, pk, perm="members.manage")
    form = MemberMoveForm(request.POST or None)
    form.fields["to_org"].widget.choices = _org_options(request.user, "members.manage", branches_only=True)
    if request.method == "POST" and form.is_valid():
        org = orgs_visible_to(request.user, "members.manage").filter(pk=form.cleaned_data["to_org"]).first()
        if org is None:
            form.add_error("to_org", _("请选择您管理范围内的党支部。"))
        elif _apply(
            form,
            services.member_move,
            actor=request.user,
            member=member,
            to_org=org,
            reason=form.cleaned_data["reason"],
        ):
            messages.success(request, _("组织关系已调整。"))
            return redirect("members:detail", pk=member.pk)
    return _render_form(request, form, _("调整组织关系（平台内）"), reverse("members:move", args=[pk]), member)


@require_perm("members.manage")
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user_or_404(request.user, pk, perm="members.manage")
    form = MemberLeaveForm(request.POST or None, initial={"left_on": date.today()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, services.member_leave, actor=request.user, member=member, **form.cleaned_data)
    ):
        messages.success(request, _("已登记离开党组织。"))
        return redirect("members:detail", pk=member.pk)
    return _render_form(request, form, _("登记离开党组织"), reverse("members:leave", args=[pk]), member)


# ---------------------------------------------------------------- import (on the one pipeline: hongyin.imports)


@require_perm("members.manage")
def template(request: HttpRequest) -> HttpResponse:
    return import_views.template(request, "party")


@require_perm("members.manage")
def import_start(request: HttpRequest) -> HttpResponse:
    return import_views.upload(request, "party")


def _my_import_job(request, pk) -> Job:
    return get_object_or_404(import_jobs(request.user), pk=pk)


@require_perm("members.manage")
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The older address of an import's page."""
    return redirect("imports:status", pk=_my_import_job(request, pk).pk)


@require_perm("members.manage")
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The older address of the confirm button (a page opened before the move posts here)."""
    _my_import_job(request, pk)
    return import_views.confirm(request, pk)


@require_perm("members.view")
def stats(request: HttpRequest) -> HttpResponse:
    """The statistics of §7 live on each organization's figures tab; this opens the user's top organization."""
    from hongyin.orgs.selectors import tree_roots_for

    roots = list(tree_roots_for(request.user))
    if not roots:
        raise Http404
    return redirect(reverse("orgs:detail", args=[roots[0].pk]) + "?tab=figures")
