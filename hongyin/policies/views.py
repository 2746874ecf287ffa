from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.appeals.permissions import enterprises_in_scope
from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_ids
from hongyin.enterprises import industry
from hongyin.enterprises.models import Enterprise, SizeClass

from . import selectors, services
from .forms import BriefingForm, PolicyForm
from .matching import policies_for_enterprise, qualifying_enterprises
from .models import Policy


@require_perm("policies.view")
def policy_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.policy_list(q=request.GET.get("q", "").strip()[:50]), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "policies/list.html", {"page": page})


@require_perm("policies.received")
def received(request: HttpRequest) -> HttpResponse:
    """The policies pushed to the contact's enterprise: all, unread or applied for."""
    state = request.GET.get("state", "")
    state = state if state in selectors.PUSH_STATES else ""
    page = Paginator(selectors.pushes_for_user(request.user, state), 30).get_page(request.GET.get("page"))
    states = [(key, label) for key, (label, _q) in selectors.PUSH_STATES.items()]
    return render(request, "policies/received.html", {"page": page, "state": state, "states": states})


@require_perm("policies.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.prefetch_related("tags", "buildings", "grid_cells", "chain_nodes"), pk=pk)
    ctx = {"p": policy, "can_manage": request.user.has_role_perm("policies.manage"), **_conditions(policy)}
    if request.user.has_role_perm("policies.push"):
        qualifying = qualifying_enterprises(policy, enterprises_in_scope(request.user, "policies.push"))
        pushed = set(policy.pushes.values_list("enterprise_id", flat=True))
        ctx.update(qualifying=qualifying.order_by("name")[:200], qualifying_count=qualifying.count(), pushed=pushed)
    if request.user.has_role_perm("appeals.rate"):
        ctx["push"] = services.policy_mark_read(actor=request.user, policy=policy)
    return render(request, "policies/detail.html", ctx)


def _conditions(policy: Policy) -> dict:
    """The industry and size conditions as words: each industry code with its GB/T 4754 name, each size its label."""
    sizes = dict(SizeClass.choices)
    return {
        "industries": [industry.label(industry.prefix(c)) for c in policy.industry_codes.split()],
        "sizes": [sizes.get(s, s) for s in policy.size_classes.split()],
    }


@require_perm("policies.manage")
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk) if pk else None
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            policy = services.policy_save(
                actor=request.user,
                policy=policy,
                data={k: v for k, v in d.items() if k not in ("tags", "buildings")},
                tags=d["tags"],
                buildings=d["buildings"],
            )
            messages.success(request, _("政策已保存。"))
            return redirect(policy.get_absolute_url())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "policies/edit.html", {"form": form, "p": policy}, status=422 if form.errors else 200)


@require_POST
@require_perm("policies.push")
def push(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    try:
        ids = posted_ids(request.POST.getlist("enterprises"), _("企业"), field="enterprises")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(policy.get_absolute_url())
    if request.POST.get("all") == "1":
        ids = list(
            qualifying_enterprises(policy, enterprises_in_scope(request.user, "policies.push")).values_list(
                "pk", flat=True
            )
        )
    try:
        n = services.policy_push(actor=request.user, policy=policy, enterprise_ids=ids)
        messages.success(request, _("已推送给 %(n)s 家企业。") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(policy.get_absolute_url())


@require_POST
@require_perm("appeals.rate")
def applied(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    try:
        services.policy_mark_applied(actor=request.user, policy=policy)
        messages.success(request, _("已登记申报。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(policy.get_absolute_url())


@require_perm("policies.view")
def for_enterprise(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = enterprises_in_scope(request.user, "policies.view").filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404
    enterprise = Enterprise.objects.select_related("grid_cell").get(pk=enterprise.pk)
    return render(
        request, "policies/for_enterprise.html", {"e": enterprise, "candidates": policies_for_enterprise(enterprise)}
    )


@require_perm("policies.push")
def briefings(request: HttpRequest) -> HttpResponse:
    form = BriefingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        attendees = []
        for line in (d["attendees"] or "").splitlines():
            parts = line.split(maxsplit=1)
            if parts:
                # only enterprises in scope: an unknown and an out-of-scope code get the same answer
                in_scope = enterprises_in_scope(request.user, "policies.push")
                e = in_scope.filter(uscc=parts[0].upper()).values_list("pk", flat=True).first()
                if e is None:
                    form.add_error("attendees", _("找不到信用代码为 %(c)s 的企业。") % {"c": parts[0]})
                    break
                attendees.append((e, parts[1] if len(parts) > 1 else ""))
        if not form.errors:
            try:
                services.briefing_create(actor=request.user, title=d["title"], held_on=d["held_on"], place=d["place"],
                                         speaker=d["speaker"], policies=d["policies"], attendees=attendees)  # fmt: skip
                messages.success(request, _("宣讲已登记。"))
                return redirect("policies:briefings")
            except DomainError as exc:
                form.add_error(None, exc.message)
    return render(request, "policies/briefings.html", {"form": form, "items": selectors.briefing_list()[:100]},
                  status=422 if form.errors else 200)  # fmt: skip
