"""Pages of supply-demand matching: the post list, the post form, a post with its ten best matches and the reasons,
the contact requests (answer, record a deal) and the figures per chain and month."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import get_or_404, require_perm
from hongyin.common.posted import posted_id
from hongyin.common.uploads import Attachment, attachment_response
from hongyin.enterprises.models import ChainMembership, ChainNode, Enterprise

from . import selectors, services
from .engine import reason_text
from .forms import ContactForm, DealForm, PostForm
from .models import ContactStatus, PostKind, Visibility
from .permissions import (
    MANAGE,
    can_act_for_post,
    can_answer,
    can_record_deal,
    chains_for_figures,
    get_contact_for_user_or_404,
    get_post_for_user_or_404,
    managed_chain_ids,
    other_post_for_user_or_404,
    own_enterprise_ids,
)

STATES = (("open", gettext_lazy("有效")), ("expired", gettext_lazy("已过期")), ("withdrawn", gettext_lazy("已撤回")))


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- the list -------------------------------------------------------------------------------------------------------


@require_perm("matching.view")
def post_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = selectors.PostFilter(
        kind=g.get("kind", "") if g.get("kind") in PostKind.values else "",
        chain_id=_int(g.get("chain")),
        state=g.get("state", "") if g.get("state") in dict(STATES) else "",
        q=(g.get("q") or "").strip()[:60],
        mine=g.get("mine") == "1",
        unmatched=g.get("unmatched") == "1",
    )
    page = Paginator(selectors.post_list(user=request.user, filters=filters), 30).get_page(g.get("page"))
    ctx = {
        "page": page,
        "f": filters,
        "kinds": PostKind.choices,
        "states": STATES,
        "can_post": request.user.has_role_perm("matching.post"),
        "has_own": bool(own_enterprise_ids(request.user)),
        "today": timezone.localdate(),
    }
    return render(request, "matching/list.html#rows" if request.htmx else "matching/list.html", ctx)


# --- the form -------------------------------------------------------------------------------------------------------


def _form_choices(user):
    own = own_enterprise_ids(user)
    managed = managed_chain_ids(user) if user.has_role_perm(MANAGE) else set()
    nodes = ChainNode.objects.select_related("chain").order_by("chain_id", "path")
    if managed is not None and not own:
        nodes = nodes.filter(chain_id__in=sorted(managed))
    enterprises = list(Enterprise.objects.filter(pk__in=sorted(own)).order_by("name"))
    if managed is None or managed:
        members = ChainMembership.objects.values("enterprise_id")
        if managed:
            members = members.filter(node__chain_id__in=sorted(managed))
        extra = Enterprise.objects.filter(pk__in=members).exclude(pk__in=sorted(own)).order_by("name")[:1000]
        enterprises += list(extra)
    return enterprises, list(nodes), managed is None or bool(managed)


@require_perm("matching.post")
def post_new(request: HttpRequest) -> HttpResponse:
    enterprises, nodes, outside = _form_choices(request.user)
    if not enterprises and not outside:
        # a committee admin (a building's, say) may post but has no enterprise or chain to post for: say so
        return render(request, "matching/form.html", {"form": None, "error": ""})
    error = ""
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, enterprises=enterprises, nodes=nodes, outside_allowed=outside)
        if form.is_valid():
            d = form.cleaned_data
            node = next((n for n in nodes if n.pk == d["node"]), None)
            enterprise = next((e for e in enterprises if str(e.pk) == d["enterprise"]), None)
            try:
                post = services.post_create(
                    actor=request.user,
                    kind=d["kind"],
                    chain=node.chain,
                    node=node,
                    enterprise=enterprise,
                    outside_name=d.get("outside_name", ""),
                    title=d["title"],
                    product=d["product"],
                    description=d["description"],
                    quantity=d["quantity"],
                    budget_min=d["budget_min"],
                    budget_max=d["budget_max"],
                    deadline=d["deadline"],
                    region=d["region"],
                    visibility=d["visibility"],
                    attachments=[d["attachment"]] if d.get("attachment") else [],
                )
            except DomainError as exc:
                error = exc.message
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                    error = ""
            else:
                messages.success(request, _("供需信息已发布，已为您找到匹配对象。"))
                return redirect("matching:detail", pk=post.pk)
        else:
            error = _("请检查标红的栏目。")
    else:
        form = PostForm(
            initial={"visibility": Visibility.CHAIN, "kind": PostKind.DEMAND, "region": _("西安高新区")},
            enterprises=enterprises,
            nodes=nodes,
            outside_allowed=outside,
        )
    return render(request, "matching/form.html", {"form": form, "error": error})


# --- a post and its matches -----------------------------------------------------------------------------------------


def _with_texts(matches):
    for m in matches:
        m.reason_texts = [reason_text(r) for r in m.reasons]
    return matches


@require_perm("matching.view")
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user_or_404(request.user, pk)
    mine = can_act_for_post(request.user, post)
    posts, firms = selectors.stored_matches(post) if mine else ([], [])
    contacted = set()
    if mine:
        for c in post.contacts_sent.all():
            contacted.add(("p", c.other_post_id) if c.other_post_id else ("e", c.to_enterprise_id))
    for m in posts:
        m.contacted = ("p", m.other_post_id) in contacted
    for m in firms:
        m.contacted = ("e", m.other_enterprise_id) in contacted
    ctx = {
        "post": post,
        "mine": mine,
        "today": timezone.localdate(),
        "post_matches": _with_texts(posts),
        "firm_matches": _with_texts(firms),
        "attachments": Attachment.objects.filter(owner_label="matching.post", owner_id=str(post.pk)),
        "contact_form": ContactForm(),
    }
    return render(request, "matching/detail.html", ctx)


@require_perm("matching.view")
def attachment(request: HttpRequest, pk: int, att_pk: int) -> HttpResponse:
    post = get_post_for_user_or_404(request.user, pk)
    att = get_or_404(lambda: Attachment.objects.get(pk=att_pk, owner_label="matching.post", owner_id=str(post.pk)))
    return attachment_response(att)


@require_POST
@require_perm("matching.post")
def post_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user_or_404(request.user, pk)
    if not can_act_for_post(request.user, post):
        raise Http404
    try:
        services.post_withdraw(actor=request.user, post=post, version=request.POST.get("version"))
        messages.success(request, _("供需信息已撤回。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:detail", pk=post.pk)


@require_POST
@require_perm("matching.post")
def post_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user_or_404(request.user, pk)
    if not can_act_for_post(request.user, post):
        raise Http404
    if post.open:
        services.matches_refresh(post=post)
        messages.success(request, _("匹配结果已更新。"))
    else:
        messages.error(request, _("供需信息已撤回或过期，不再匹配。"))
    return redirect("matching:detail", pk=post.pk)


@require_POST
@require_perm("matching.post")
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user_or_404(request.user, pk)
    if not can_act_for_post(request.user, post):
        raise Http404
    other_post = other_enterprise = None
    try:
        if request.POST.get("other_post"):
            other_post = other_post_for_user_or_404(
                request.user, posted_id(request.POST["other_post"], _("对方"), field="other")
            )
        elif request.POST.get("other_enterprise"):
            eid = posted_id(request.POST["other_enterprise"], _("对方"), field="other")
            other_enterprise = get_or_404(lambda: Enterprise.objects.get(pk=eid))
        form = ContactForm(request.POST)
        message = form.cleaned_data["message"] if form.is_valid() else request.POST.get("message", "")
        services.contact_request(
            actor=request.user, post=post, other_post=other_post, other_enterprise=other_enterprise, message=message
        )
        messages.success(request, _("对接请求已发送，等待对方回复。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:detail", pk=post.pk)


# --- contacts and deals ---------------------------------------------------------------------------------------------


@require_perm("matching.view")
def contact_list(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box", "")
    box = box if box in ("in", "out", "pending") else ""
    page = Paginator(selectors.contact_list(user=request.user, box=box), 30).get_page(request.GET.get("page"))
    for c in page:
        c.may_answer = c.status == ContactStatus.PENDING and can_answer(request.user, c)
        c.may_deal = c.status == ContactStatus.ACCEPTED and can_record_deal(request.user, c)
    deals = {}
    for d in selectors.deals_of(user=request.user).filter(contact__in=[c.pk for c in page]):
        deals.setdefault(d.contact_id, []).append(d)
    for c in page:
        c.deal_list = deals.get(c.pk, [])
    ctx = {"page": page, "box": box, "deal_form": DealForm(initial={"signed_on": timezone.localdate()})}
    return render(request, "matching/contacts.html", ctx)


@require_POST
@require_perm("matching.view")
def contact_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    contact = get_contact_for_user_or_404(request.user, pk)
    if action not in ("accept", "decline") or not can_answer(request.user, contact):
        raise Http404
    try:
        services.contact_answer(
            actor=request.user,
            contact=contact,
            accept=action == "accept",
            reply=request.POST.get("reply", ""),
            version=request.POST.get("version"),
        )
        messages.success(request, _("已接受对接请求。") if action == "accept" else _("已婉拒对接请求。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("matching:contacts") + f"#contact-{contact.pk}")


@require_POST
@require_perm("matching.view")
def deal_new(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user_or_404(request.user, pk)
    if not can_record_deal(request.user, contact):
        raise Http404
    form = DealForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写成交金额（万元）和成交日期。"))
        d = form.cleaned_data
        services.deal_record(
            actor=request.user, contact=contact, amount=d["amount"], signed_on=d["signed_on"], note=d["note"]
        )
        messages.success(request, _("成交已登记。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("matching:contacts") + f"#contact-{contact.pk}")


# --- figures --------------------------------------------------------------------------------------------------------


def _chart(figures) -> str:
    months = [r.month.strftime("%Y-%m") for r in figures.months]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 50, "bottom": 40, "top": 40},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "name": _("笔数"), "minInterval": 1},
            {"type": "value", "name": _("万元")},
        ],
        "series": [
            {"name": _("发布"), "type": "bar", "data": [r.posts for r in figures.months]},
            {"name": _("对接"), "type": "bar", "data": [r.contacts for r in figures.months]},
            {"name": _("成交"), "type": "bar", "data": [r.deals for r in figures.months]},
            {
                "name": _("成交金额"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [float(r.value) for r in figures.months],
            },
        ],
    }
    return json.dumps(option, ensure_ascii=False)


@require_perm("matching.figures")
def figures(request: HttpRequest) -> HttpResponse:
    chains = list(chains_for_figures(request.user))
    chain_id = _int(request.GET.get("chain"))
    chain = next((c for c in chains if c.pk == chain_id), None)
    if chain_id and chain is None:
        raise Http404
    result = selectors.chain_figures(user=request.user, chain=chain)
    ctx = {"figures": result, "chains": chains, "chain": chain, "chart_json": _chart(result), "total": result.total}
    return render(request, "matching/figures.html", ctx)
