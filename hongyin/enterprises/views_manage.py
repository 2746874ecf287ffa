"""Small management forms on the building, chain and enterprise pages. Each POST calls one service and redirects
back with a message; a refused write shows the service's message and writes nothing."""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_id

from . import extensions, services
from .models import (
    ChainNode,
    Enterprise,
    EnterpriseLinkRequest,
    Floor,
    IncubationBase,
    IndustryChain,
    InnovationPlatform,
    PlatformKind,
    Unit,
)
from .permissions import (
    enterprises_visible_to,
    get_building_for_user_or_404,
    get_chain_for_user_or_404,
    get_enterprise_for_user_or_404,
    get_link_request_for_user_or_404,
    link_requests_decidable_by,
    link_requests_visible_to,
)


def _date(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("%(f)s不是有效日期。") % {"f": label}) from None


def _run(request, func, ok: str) -> None:
    try:
        func()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)


def _enterprise_by_uscc(user, code: str) -> Enterprise:
    """An enterprise named by its USCC inside the user's scope; unknown and out of scope get the same answer."""
    e = enterprises_visible_to(user).filter(uscc=(code or "").strip().upper()).first()
    if e is None:
        raise DomainError(_("找不到信用代码为 %(c)s 的企业。") % {"c": code}, field="uscc")
    return e


def _run_link(request, func, ok: str) -> None:
    """A link by USCC: made at once for an enterprise the user sees, else a request; unknown codes look the same."""
    try:
        result = func()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if isinstance(result, EnterpriseLinkRequest):
            messages.info(request, services.link_requested_message())
        else:
            messages.success(request, ok)


@require_POST
@require_perm("buildings.manage")
def building_floor_add(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_building_for_user_or_404(request.user, pk, "buildings.manage")

    def go():
        services.floor_create(actor=request.user, building=building, number=request.POST.get("number"))

    _run(request, go, _("楼层已添加。"))
    return redirect("enterprises:building_detail", pk=building.pk)


@require_POST
@require_perm("buildings.manage")
def building_unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_building_for_user_or_404(request.user, pk, "buildings.manage")

    def go():
        floor = Floor.objects.filter(
            building=building, pk=posted_id(request.POST.get("floor"), _("楼层"), field="floor")
        ).first()
        if floor is None:
            raise DomainError(_("请选择本楼宇的楼层。"), field="floor")
        services.unit_create(
            actor=request.user, floor=floor, number=request.POST.get("number", ""), area=request.POST.get("area") or "0"
        )

    _run(request, go, _("房间已添加。"))
    return redirect("enterprises:building_detail", pk=building.pk)


@require_POST
@require_perm("buildings.manage")
def building_lease_add(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_building_for_user_or_404(request.user, pk, "buildings.manage")

    def go():
        unit_pk = posted_id(request.POST.get("unit"), _("房间"), field="unit")
        unit = Unit.objects.filter(floor__building=building, pk=unit_pk).first()
        if unit is None:
            raise DomainError(_("请选择本楼宇的房间。"), field="unit")
        return services.lease_link(
            actor=request.user,
            unit=unit,
            uscc=request.POST.get("uscc", ""),
            start_on=_date(request.POST.get("start_on", ""), _("起租日期")),
            end_on=_date(request.POST.get("end_on", ""), _("到期日期")),
        )

    _run_link(request, go, _("租约已登记。"))
    return redirect("enterprises:building_detail", pk=building.pk)


@require_POST
@require_perm("chains.manage")
def chain_node_add(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_chain_for_user_or_404(request.user, pk, "chains.manage")

    def go():
        parent_pk = posted_id(request.POST.get("parent"), _("上级环节"), field="parent", required=False)
        parent = ChainNode.objects.filter(chain=chain, pk=parent_pk).first() if parent_pk else None
        services.chain_node_create(
            actor=request.user,
            chain=chain,
            name=request.POST.get("name", ""),
            segment=request.POST.get("segment", ""),
            parent=parent,
        )

    _run(request, go, _("环节已添加。"))
    return redirect("enterprises:chain_detail", pk=chain.pk)


@require_POST
@require_perm("chains.manage")
def chain_enterprise_add(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_chain_for_user_or_404(request.user, pk, "chains.manage")

    def go():
        node = ChainNode.objects.filter(
            chain=chain, pk=posted_id(request.POST.get("node"), _("环节"), field="node")
        ).first()
        if node is None:
            raise DomainError(_("请选择环节。"), field="node")
        return services.chain_enterprise_link(
            actor=request.user,
            node=node,
            uscc=request.POST.get("uscc", ""),
            is_lead=request.POST.get("is_lead") == "on",
        )

    _run_link(request, go, _("企业已列入产业链环节。"))
    return redirect("enterprises:chain_detail", pk=chain.pk)


def _platform_fields(request) -> dict:
    """The posted fields of a platform form: an empty node or USCC means none."""
    raw_node = (request.POST.get("node") or "").strip()
    node = None
    if raw_node:
        # a node of another chain is passed on, so the service refuses it with its message
        node = ChainNode.objects.filter(pk=posted_id(raw_node, _("环节"), field="node")).first()
        if node is None:
            raise DomainError(_("请选择本产业链的环节。"), field="node")
    code = (request.POST.get("uscc") or "").strip()
    return {
        "name": request.POST.get("name", ""),
        "kind": request.POST.get("kind", ""),
        "node": node,
        "enterprise": _enterprise_by_uscc(request.user, code) if code else None,
    }


def _chain_platform(request, pk: int, platform_pk: int) -> tuple[IndustryChain, InnovationPlatform]:
    chain = get_chain_for_user_or_404(request.user, pk, "chains.manage")
    platform = get_object_or_404(InnovationPlatform.objects.select_related("chain"), chain=chain, pk=platform_pk)
    return chain, platform


@require_POST
@require_perm("chains.manage")
def chain_platform_add(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_chain_for_user_or_404(request.user, pk, "chains.manage")

    def go():
        services.platform_create(actor=request.user, chain=chain, **_platform_fields(request))

    _run(request, go, _("创新平台已添加。"))
    return redirect("enterprises:chain_detail", pk=chain.pk)


@require_http_methods(["GET", "POST"])
@require_perm("chains.manage")
def chain_platform_edit(request: HttpRequest, pk: int, platform_pk: int) -> HttpResponse:
    """GET: the edit form (the chain page loads it when a platform is opened, so that the page does not carry a
    form with every node for every platform); POST: save."""
    chain, platform = _chain_platform(request, pk, platform_pk)
    if request.method == "GET":
        context = {
            "chain": chain,
            "p": platform,
            "nodes": chain.nodes.order_by("path"),
            "platform_kinds": PlatformKind.choices,
        }
        template = "widgets/platform_form.html" if request.headers.get("HX-Request") else "platform_edit.html"
        return render(request, "enterprises/" + template, context)

    def go():
        services.platform_update(actor=request.user, platform=platform, **_platform_fields(request))

    _run(request, go, _("创新平台已保存。"))
    return redirect("enterprises:chain_detail", pk=chain.pk)


@require_POST
@require_perm("chains.manage")
def chain_platform_delete(request: HttpRequest, pk: int, platform_pk: int) -> HttpResponse:
    chain, platform = _chain_platform(request, pk, platform_pk)
    name = platform.name

    def go():
        services.platform_delete(actor=request.user, platform=platform)

    _run(request, go, _("已删除“%(n)s”。") % {"n": name})
    return redirect("enterprises:chain_detail", pk=chain.pk)


@require_POST
@require_perm("enterprises.manage")
def incubation_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user_or_404(request.user, pk, "enterprises.manage")

    def go():
        base = IncubationBase.objects.filter(
            pk=posted_id(request.POST.get("base"), _("孵化载体"), field="base")
        ).first()
        if base is None:
            raise DomainError(_("请选择孵化载体。"), field="base")
        services.incubation_add(
            actor=request.user,
            enterprise=enterprise,
            base=base,
            entered_on=_date(request.POST.get("entered_on", ""), _("入驻日期")),
            graduated_on=_date(request.POST.get("graduated_on", ""), _("毕业日期")),
        )

    _run(request, go, _("入孵记录已添加。"))
    return redirect("enterprises:detail", pk=enterprise.pk)


@require_POST
@require_perm("enterprises.manage")
def incubation_graduate(request: HttpRequest, pk: int, stay_pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user_or_404(request.user, pk, "enterprises.manage")
    stay = get_object_or_404(enterprise.incubations.select_related("enterprise"), pk=stay_pk)

    def go():
        graduated_on = _date(request.POST.get("graduated_on", "").strip(), _("毕业日期"))
        services.incubation_graduate(actor=request.user, stay=stay, graduated_on=graduated_on)

    _run(request, go, _("毕业日期已登记。"))
    return redirect("enterprises:detail", pk=enterprise.pk)


@require_POST
@require_perm("grid.manage")
def grid_place(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user_or_404(request.user, pk)

    def go():
        cell_pk = posted_id(request.POST.get("cell"), _("网格"), field="cell")
        extensions.grid_place(
            actor=request.user, enterprise=enterprise, cell_pk=cell_pk, move=request.POST.get("move") == "on"
        )

    _run(request, go, _("网格已调整。"))
    return redirect("enterprises:detail", pk=enterprise.pk)


@require_perm("enterprises.manage")
def link_requests(request: HttpRequest) -> HttpResponse:
    """Link requests: the user's own (code and outcome only) and those it decides (the enterprise named)."""
    decidable = set(link_requests_decidable_by(request.user).values_list("pk", flat=True))
    items = list(
        link_requests_visible_to(request.user)
        .select_related("enterprise", "requester", "decided_by", "node__chain", "unit__floor__building")
        .order_by("status", "-id")[:200]
    )
    for item in items:
        item.can_decide = item.pk in decidable
    return render(request, "enterprises/link_requests.html", {"items": items})


@require_POST
@require_perm("enterprises.manage")
def link_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    link_request = get_link_request_for_user_or_404(request.user, pk)
    approve = request.POST.get("decision") == "approve"

    def go():
        services.link_request_decide(
            actor=request.user, link_request=link_request, approve=approve, reason=request.POST.get("reason", "")
        )

    _run(request, go, _("已批准，关联已建立。") if approve else _("已不予批准。"))
    return redirect("enterprises:link_requests")
