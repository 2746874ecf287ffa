from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm

from . import extensions, services
from .forms import OrgCreateForm, OrgDissolveForm, OrgEditForm, OrgMergeForm, OrgMoveForm, PostForm, TermForm
from .models import CommitteePost, Organization, OrgKind, Post
from .permissions import get_org_for_user_or_404, orgs_visible_to
from .rules import member_counts, org_checks
from .selectors import children_for, member_counts_by_child, tree_roots_for, with_counts

# the page's own tabs (key, label, order); other apps add theirs (extensions.DETAIL_TABS: members, figures)
TABS = [
    ("basics", gettext_lazy("基本信息"), 10),
    ("committee", gettext_lazy("班子"), 20),
    ("children", gettext_lazy("下级组织"), 40),
    ("history", gettext_lazy("沿革"), 50),
]
SESSION_KEY = "orgs_last_node"


def _nodes_with_counts(parent, nodes):
    nodes = list(nodes)
    if parent is not None and nodes:
        counts = member_counts_by_child(parent, nodes)
        for n in nodes:
            n.member_count = counts.get(n.pk, 0)
    return nodes


def _tree_context(user, current: Organization | None) -> dict:
    """Roots plus the children along the path to the current node (the pane opens where the user left)."""
    roots = list(tree_roots_for(user))
    for root in roots:
        root.member_count = None
    if current is not None:
        prefixes = [current.path[:i] for i in range(Organization.steplen, len(current.path) + 1, Organization.steplen)]
        chain = list(orgs_visible_to(user).filter(path__in=prefixes).order_by("depth"))
        level = roots
        for node in chain:
            match = next((n for n in level if n.pk == node.pk), None)
            if match is None:
                continue
            match.kids = _nodes_with_counts(node, children_for(user, node))
            level = match.kids
    return {"roots": roots, "current": current}


@require_perm("orgs.view")
def tree(request: HttpRequest) -> HttpResponse:
    last = request.session.get(SESSION_KEY)
    if last and orgs_visible_to(request.user).filter(pk=last, dissolved_on__isnull=True).exists():
        return redirect("orgs:detail", pk=last)
    roots = list(tree_roots_for(request.user))
    if roots:
        return redirect("orgs:detail", pk=roots[0].pk)
    return render(request, "orgs/tree.html", _tree_context(request.user, None))


@require_perm("orgs.view")
def children(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_org_for_user_or_404(request.user, pk)
    nodes = _nodes_with_counts(parent, children_for(request.user, parent))
    return render(request, "orgs/_nodes.html", {"nodes": nodes, "current": None})


@require_perm("orgs.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk)
    request.session[SESSION_KEY] = org.pk
    can_manage = request.user.has_role_perm("orgs.manage")
    extra = {t.key: t for t in extensions.detail_tabs() if request.user.has_role_perm(t.perm)}
    ordered = sorted([*TABS, *((t.key, t.label, t.order) for t in extra.values())], key=lambda t: t[2])
    tabs = [(key, label) for key, label, _order in ordered]
    tab = request.GET.get("tab", "basics")
    if tab not in dict(tabs):
        tab = "basics"
    parent = Organization.objects.get_parent(org)
    ctx = {
        "org": org,
        "parent": parent if parent and orgs_visible_to(request.user).filter(pk=parent.pk).exists() else None,
        "tab": tab,
        "tabs": tabs,
        "can_manage": can_manage,
        "checks": org_checks(org),
        "counts": member_counts(org) if org.is_branch else None,
        "posts": list(CommitteePost.objects.filter(org=org, to_on__isnull=True).select_related("member")),
    }
    if tab == "committee":
        ctx["past_posts"] = list(
            CommitteePost.objects.filter(org=org, to_on__isnull=False).select_related("member").order_by("-to_on")[:50]
        )
        ctx["term_state"] = org.term_state()
    elif tab in extra:
        ctx.update(extra[tab].context(request, org))
        ctx["tab_template"] = extra[tab].template
    elif tab == "children":
        ctx["children"] = _nodes_with_counts(org, children_for(request.user, org))
    elif tab == "history":
        ctx["history"] = list(org.history.select_related("actor")[:200])
    elif tab == "basics":
        ctx["buildings"] = list(org.committee_buildings.all()[:10]) if hasattr(org, "committee_buildings") else []
        ctx["chains"] = list(org.committee_chains.all()[:10]) if hasattr(org, "committee_chains") else []
    if request.htmx and request.GET.get("partial") == "tab":
        return render(request, "orgs/detail.html#tab", ctx)
    ctx.update(_tree_context(request.user, org))
    return render(request, "orgs/detail.html", ctx)


def _form_page(request, org, form, title, action_url, submit=None):
    return render(
        request,
        "orgs/form.html",
        {"org": org, "form": form, "title": title, "action_url": action_url, "submit": submit or _("保存")},
        status=422 if form.is_bound and (form.errors or form.non_field_errors()) else 200,
    )


def _apply(form, func, **kwargs):
    try:
        return func(**kwargs)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None


def _units(text: str) -> list[str]:
    return [u.strip() for u in (text or "").replace("，", ",").replace("\n", ",").split(",") if u.strip()]


@require_perm("orgs.manage")
def create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    form = OrgCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = _apply(
            form,
            services.org_create,
            actor=request.user,
            parent=parent,
            **{**data, "covered_units": _units(data["covered_units"])},
        )
        if org:
            messages.success(request, _("已成立“%(n)s”。") % {"n": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return _form_page(
        request, parent, form, _("在“%(p)s”下成立组织") % {"p": parent.name}, reverse("orgs:create", args=[pk])
    )


@require_perm("orgs.manage")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    initial = {f: getattr(org, f) for f in ("name", "short_name", "code", "category", "founded_on", "approved_by")}
    initial["covered_units"] = "\n".join(org.covered_units or [])
    initial["is_village_community"] = org.is_village_community
    form = OrgEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "covered_units": _units(form.cleaned_data["covered_units"])}
        if _apply(form, services.org_update, actor=request.user, org=org, **data):
            messages.success(request, _("已保存。"))
            return redirect("orgs:detail", pk=org.pk)
    return _form_page(request, org, form, _("修改“%(n)s”") % {"n": org.name}, reverse("orgs:edit", args=[pk]))


def _org_choices(user, exclude: Organization, kinds=None):
    qs = orgs_visible_to(user, "orgs.manage").filter(dissolved_on__isnull=True).exclude(path__startswith=exclude.path)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return [(o.pk, "　" * (o.depth - 1) + o.name) for o in qs.order_by("path").only("pk", "name", "depth")[:3000]]


@require_perm("orgs.manage")
def move(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    form = OrgMoveForm(request.POST or None)
    kinds = [k for k, allowed in services.ALLOWED_CHILDREN.items() if org.kind in allowed]
    form.fields["new_parent"].choices = _org_choices(request.user, org, kinds)
    if request.method == "POST" and form.is_valid():
        # one of the form's choices, all in the user's scope (a second scoped get here reads as an N+1 to zeal)
        target = orgs_visible_to(request.user, "orgs.manage").get(pk=form.cleaned_data["new_parent"])
        if _apply(
            form, services.org_move, actor=request.user, org=org, new_parent=target, reason=form.cleaned_data["reason"]
        ):
            messages.success(request, _("隶属关系已调整。"))
            return redirect("orgs:detail", pk=org.pk)
    return _form_page(request, org, form, _("调整“%(n)s”的隶属关系") % {"n": org.name}, reverse("orgs:move", args=[pk]))


@require_perm("orgs.manage")
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    form = OrgMergeForm(request.POST or None)
    form.fields["target"].choices = _org_choices(request.user, org, [org.kind] if org.is_branch else None)
    if request.method == "POST" and form.is_valid():
        target = orgs_visible_to(request.user, "orgs.manage").get(pk=form.cleaned_data["target"])
        merged = _apply(
            form, services.org_merge, actor=request.user, source=org, target=target, reason=form.cleaned_data["reason"]
        )
        if merged:
            messages.success(request, _("已并入“%(n)s”。") % {"n": merged.name})
            return redirect("orgs:detail", pk=merged.pk)
    return _form_page(
        request, org, form, _("把“%(n)s”并入其他组织") % {"n": org.name}, reverse("orgs:merge", args=[pk])
    )


@require_perm("orgs.manage")
def dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    form = OrgDissolveForm(request.POST or None, initial={"on": date.today()})
    if request.method == "POST" and form.is_valid():
        done = _apply(form, services.org_dissolve, actor=request.user, org=org, **form.cleaned_data)
        if done:
            messages.success(request, _("已撤销“%(n)s”。") % {"n": org.name})
            request.session.pop(SESSION_KEY, None)
            return redirect("orgs:tree")
    return _form_page(
        request,
        org,
        form,
        _("撤销“%(n)s”") % {"n": org.name},
        reverse("orgs:dissolve", args=[pk]),
        submit=pgettext("org action", "撤销"),
    )


@require_perm("orgs.manage")
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    form = PostForm(request.POST or None, initial={"from_on": date.today()})
    home = org.path[: -Organization.steplen] if org.kind == OrgKind.GROUP else org.path
    people = extensions.post_candidates(home)[:2000]
    form.fields["member"].widget.choices = [(m.pk, m.name) for m in people.only("pk", "name")]
    if request.method == "POST" and form.is_valid():
        # any member record under the organization: the service says why a left or probationary one cannot serve
        member = (
            extensions.post_candidates(home, eligible=False)
            .filter(pk=form.cleaned_data["member"])
            .select_related("org")
            .first()
        )
        if member is None:
            form.add_error("member", _("请选择本组织的党员。"))
        elif _apply(
            form,
            services.committee_assign,
            actor=request.user,
            org=org,
            member=member,
            post=form.cleaned_data["post"],
            from_on=form.cleaned_data["from_on"],
        ):
            messages.success(request, _("班子成员已更新。"))
            return redirect(reverse("orgs:detail", args=[org.pk]) + "?tab=committee")
    return _form_page(request, org, form, _("任命班子成员"), reverse("orgs:post_add", args=[pk]))


@require_perm("orgs.manage")
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(CommitteePost.objects.select_related("org"), pk=pk)
    org = get_org_for_user_or_404(request.user, post.org_id, perm="orgs.manage")
    if request.method == "POST":
        try:
            services.committee_end(actor=request.user, post=post)
            messages.success(request, _("已免去该职务。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("orgs:detail", args=[org.pk]) + "?tab=committee")


@require_perm("orgs.manage")
def term(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, pk, perm="orgs.manage")
    form = TermForm(request.POST or None, initial={"started_on": date.today()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _apply(form, services.term_start, actor=request.user, org=org, **form.cleaned_data)
    ):
        messages.success(request, _("已记录换届。"))
        return redirect(reverse("orgs:detail", args=[org.pk]) + "?tab=committee")
    return _form_page(request, org, form, _("记录换届"), reverse("orgs:term", args=[pk]))


__all__ = ["Post", "with_counts"]
