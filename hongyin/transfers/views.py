from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_id
from hongyin.members.permissions import members_visible_to
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import get_org_for_user_or_404, orgs_visible_to

from . import selectors, services
from .forms import ActionForm, FloatingForm, TransferInForm, TransferOutForm, TransferRequestForm, add_domain_error
from .letter import letter_number, render_letter_pdf
from .models import TransferKind, TransferStatus
from .permissions import get_transfer_for_user_or_404, is_source_side


@require_perm("transfers.view")
def transfer_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")[:50]
    org = (
        get_org_for_user_or_404(request.user, request.GET["org"], "transfers.view") if request.GET.get("org") else None
    )
    kind = kind if kind in TransferKind.values else ""
    queue = request.GET.get("queue", "")
    queue = queue if queue in selectors.QUEUES else ""
    qs = selectors.transfer_list(user=request.user, status=status, kind=kind, q=q, org=org, queue=queue)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "status": status,
        "kind": kind,
        "q": q,
        "queue": queue,
        "statuses": TransferStatus.choices,
        "kinds": TransferKind.choices,
        "counts": selectors.queue_counts(user=request.user),
        "can_manage": request.user.has_role_perm("transfers.manage"),
    }
    return render(request, "transfers/list.html#rows" if request.htmx else "transfers/list.html", ctx)


@require_perm("transfers.view")
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_transfer_for_user_or_404(request.user, pk)
    return render(request, "transfers/detail.html", _detail_ctx(request, t, ActionForm()))


def _detail_ctx(request, t, form):
    # the page's button names; "approve" etc. are the workflow's actions (services.TRANSFER_FLOW)
    allowed = {a.action for a in services.TRANSFER_FLOW.actions_for(request.user, t)} & set(ACTIONS)
    return {
        "t": t,
        "events": t.events.select_related("actor"),
        "allowed": allowed,
        "form": form,
        "letter_number": letter_number(t) if t.kind == TransferKind.OUT else "",
    }


ACTIONS = {
    "approve": lambda u, t, f: services.transfer_approve(actor=u, transfer=t, note=f["reason"]),
    "accept": lambda u, t, f: services.transfer_accept(actor=u, transfer=t, note=f["reason"]),
    "return": lambda u, t, f: services.transfer_return(actor=u, transfer=t, reason=f["reason"]),
    "resubmit": lambda u, t, f: services.transfer_resubmit(actor=u, transfer=t, target=f["target"], note=f["reason"]),
    "cancel": lambda u, t, f: services.transfer_cancel(actor=u, transfer=t, reason=f["reason"]),
    "slip": lambda u, t, f: services.transfer_out_slip_returned(actor=u, transfer=t, returned_on=f["slip_returned_on"]),
}


@require_POST
@require_perm("transfers.manage")
def transfer_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    t = get_transfer_for_user_or_404(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.TRANSFER_FLOW.expect_version(t, request.POST.get("version"))
            ACTIONS[action](request.user, t, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已办理。"))
            return redirect("transfers:detail", pk=t.pk)
    t.refresh_from_db()
    return render(request, "transfers/detail.html", _detail_ctx(request, t, form), status=422)


def _pick_member(request):
    """The member chosen by ?member= (in the user's scope), and a name search to choose one."""
    visible = members_visible_to(request.user, "transfers.manage").filter(left_on__isnull=True)
    member = None
    raw = request.POST.get("member") or request.GET.get("member")
    if raw:
        try:
            member = visible.select_related("org").get(pk=posted_id(raw, _("党员"), field="member"))
        except (DomainError, visible.model.DoesNotExist):
            raise Http404
    q = request.GET.get("q", "").strip()[:40]
    found = []
    if q and member is None:
        found = list(
            visible.filter(Q(name__contains=q) | Q(name_initials=q.lower()) | Q(name_pinyin=q.lower()))
            .select_related("org")
            .order_by("name")[:20]
        )
    return member, q, found


@require_perm("transfers.manage")
def transfer_new(request: HttpRequest) -> HttpResponse:
    member, q, found = _pick_member(request)
    out = request.GET.get("kind") == "out" or request.POST.get("kind") == "out"
    form_class = TransferOutForm if out else TransferRequestForm
    form = form_class(request.POST or None, initial={"member": member.pk if member else None})
    if request.method == "POST" and member is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if out:
                t = services.transfer_out_issue(
                    actor=request.user,
                    member=member,
                    external_org=data["external_org"],
                    reason=data["reason"],
                    valid_days=data["letter_valid_days"],
                )
            else:
                t = services.transfer_request(
                    actor=request.user, member=member, target=data["target"], reason=data["reason"]
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("转接已登记：%(n)s") % {"n": t.number})
            return redirect("transfers:detail", pk=t.pk)
    status = 422 if request.method == "POST" else 200
    ctx = {"form": form, "member": member, "q": q, "found": found, "out": out}
    return render(request, "transfers/new.html", ctx, status=status)


@require_perm("transfers.manage")
def transfer_receive(request: HttpRequest) -> HttpResponse:
    targets = orgs_visible_to(request.user, "transfers.manage").filter(kind__in=BRANCH_KINDS).order_by("path")
    form = TransferInForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            t = services.transfer_in_receive(
                actor=request.user,
                target=d.pop("target"),
                external_org=d.pop("external_org"),
                incoming_letter_number=d.pop("incoming_letter_number"),
                birth_date=None,
                **d,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已接收转入党员：%(n)s") % {"n": t.member_name})
            return redirect("transfers:detail", pk=t.pk)
    return render(request, "transfers/receive.html", {"form": form}, status=422 if request.method == "POST" else 200)


@require_perm("transfers.manage")
def transfer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_transfer_for_user_or_404(request.user, pk)
    if t.kind != TransferKind.OUT or not is_source_side(request.user, t):
        raise Http404
    pdf = render_letter_pdf(t)
    audit.record(actor=request.user, action="transfer.letter", obj=t, org=t.source, details={"number": t.number})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{t.number}.pdf"'
    return response


@require_perm("transfers.view")
def floating(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.floating_members(user=request.user).order_by("name"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "transfers/floating.html", {"page": page})


@require_POST
@require_perm("transfers.manage")
def floating_set(request: HttpRequest, member_id: int) -> HttpResponse:
    try:
        member = members_visible_to(request.user, "transfers.manage").get(pk=member_id)
    except members_visible_to(request.user).model.DoesNotExist:
        raise Http404
    form = FloatingForm(request.POST)
    form.is_valid()
    try:
        services.floating_set(
            actor=request.user,
            member=member,
            is_floating=form.cleaned_data.get("is_floating", False),
            place=form.cleaned_data.get("floating_place", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("transfers:new") + f"?member={member.pk}")
    messages.success(request, _("已更新流动党员信息。"))
    return redirect("transfers:floating")
