"""Pages of red credit (applications, endorsement, decision, disbursement; products; figures), partner offers and
their four-priorities tickets, and investment."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import covers_whole_zone, get_or_404, require_perm
from hongyin.directory.models import Partner
from hongyin.enterprises.models import Building, IndustryChain
from hongyin.orgs.permissions import orgs_visible_to

from . import selectors, services
from .forms import ApplyForm, CreditActionForm, OfferForm, SavingsForm, StepForm, TicketForm, add_domain_error
from .models import PRIORITY_ORDER, CreditProduct, CreditStatus, Priority, TicketStatus
from .permissions import (
    CREDIT_APPLY,
    CREDIT_FIGURES,
    OFFERS_PUBLISH,
    can_answer,
    can_use_for,
    contact_enterprises,
    covers_for_endorsement,
    get_application_for_user_or_404,
    get_ticket_for_user_or_404,
    institutions_of,
    offers_visible_to,
    partners_of,
)

# --- credit ---------------------------------------------------------------------------------------------------------


@require_perm("finance.credit_view")
def credit_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.application_list(user=request.user, status=status, q=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    reviewer = bool(institutions_of(request.user))
    ctx = {
        "page": page,
        "status": status,
        "q": q,
        "statuses": CreditStatus.choices,
        "can_apply": request.user.has_role_perm(CREDIT_APPLY)
        and contact_enterprises(request.user, CREDIT_APPLY).exists(),
        "reviewer": reviewer,
        "queue": list(selectors.bank_queue(user=request.user)[:20]) if reviewer else [],
        "today": timezone.localdate(),
    }
    return render(request, "finance/credit_list.html", ctx)


@require_perm("finance.credit_view")
def products(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/products.html", {"products": selectors.products()})


@require_perm("finance.credit_apply")
def credit_new(request: HttpRequest) -> HttpResponse:
    enterprise = contact_enterprises(request.user, CREDIT_APPLY).order_by("pk").first()
    if enterprise is None:
        raise Http404
    choices = list(selectors.products())
    form = ApplyForm(request.POST or None, products=choices, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        try:
            product = CreditProduct.objects.select_related("institution").get(pk=form.cleaned_data["product"])
            app = services.credit_apply(
                actor=request.user,
                enterprise=enterprise,
                product=product,
                amount=form.cleaned_data["amount"],
                term_months=form.cleaned_data["term_months"],
                purpose=form.cleaned_data["purpose"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        except CreditProduct.DoesNotExist:
            form.add_error("product", _("请选择信贷产品。"))
        else:
            messages.success(request, _("申请已提交，等待党组织推荐。"))
            return redirect("finance:credit_detail", pk=app.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "finance/credit_form.html",
        {"form": form, "enterprise": enterprise, "products": choices},
        status=status,
    )


def _credit_ctx(request, app, form, error=""):
    allowed = {t.action for t in services.CREDIT_FLOW.actions_for(request.user, app)}
    endorser = app.status == CreditStatus.SUBMITTED and covers_for_endorsement(request.user, app.enterprise)
    evidence = app.evidence or (services.credit_evidence(app.enterprise) if endorser else None)
    return {
        "a": app,
        "allowed": allowed,
        "form": form,
        "error": error,
        "evidence": evidence,
        "events": app.events.select_related("actor"),
        "today": timezone.localdate(),
    }


@require_perm("finance.credit_view")
def credit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for_user_or_404(request.user, pk)
    initial = {"amount": app.approved_amount or app.amount, "term_months": app.term_months}
    return render(request, "finance/credit_detail.html", _credit_ctx(request, app, CreditActionForm(initial=initial)))


CREDIT_ACTIONS = {
    "endorse": lambda u, a, d: services.credit_endorse(actor=u, application=a, note=d["note"]),
    "decline": lambda u, a, d: services.credit_decline(actor=u, application=a, reason=d["note"]),
    "approve": lambda u, a, d: services.credit_approve(
        actor=u, application=a, amount=d["amount"], rate=d["rate"], term_months=d["term_months"]
    ),
    "refuse": lambda u, a, d: services.credit_refuse(actor=u, application=a, reason=d["note"]),
    "disburse": lambda u, a, d: services.credit_disburse(actor=u, application=a, amount=d["amount"], on=d["on"]),
    "overdue": lambda u, a, d: services.credit_overdue(actor=u, application=a, reason=d["note"]),
    "repay": lambda u, a, d: services.credit_repay(actor=u, application=a, on=d["on"]),
}


@require_POST
@require_perm("finance.credit_view")
def credit_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = get_application_for_user_or_404(request.user, pk)
    if action not in CREDIT_ACTIONS:
        raise Http404
    form = CreditActionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.CREDIT_FLOW.expect_version(app, request.POST.get("version"))
            CREDIT_ACTIONS[action](request.user, app, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc.message if exc.field not in form.fields else ""
        else:
            messages.success(request, _("已%(a)s。") % {"a": services.CREDIT_FLOW.label(action)})
            return redirect("finance:credit_detail", pk=app.pk)
    app.refresh_from_db()
    return render(request, "finance/credit_detail.html", _credit_ctx(request, app, form, error), status=422)


def _figures_chart(rows) -> str:
    names = [org.name for org, _f in rows]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 60, "right": 10, "bottom": 80, "top": 40},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 25}},
        "yAxis": {"type": "value", "name": _("万元")},
        "series": [
            {"name": _("批准金额"), "type": "bar", "data": [float(f.approved_wan) for _o, f in rows]},
            {"name": _("放款金额"), "type": "bar", "data": [float(f.disbursed_wan) for _o, f in rows]},
        ],
    }
    return json.dumps(option, ensure_ascii=False)


@require_perm("finance.credit_figures")
def credit_figures(request: HttpRequest) -> HttpResponse:
    visible = orgs_visible_to(request.user, CREDIT_FIGURES)
    whole = covers_whole_zone(request.user, CREDIT_FIGURES)
    org = None
    raw = request.GET.get("org")
    if raw:
        org = get_or_404(lambda: visible.get(pk=int(raw)))
    elif not whole:
        org = next(iter(selectors.figure_orgs(request.user)), None)
        if org is None:
            raise Http404
    base = selectors.committee_applications(org) if org is not None else selectors.CreditApplication.objects.all()
    figures = selectors.credit_figures(base)
    rows = selectors.credit_by_committee(base) if org is None else []
    ctx = {
        "org": org,
        "figures": figures,
        "rows": rows,
        "chart_json": _figures_chart(rows) if rows else "",
        "whole": whole,
        "committees": list(visible.filter(depth=2).order_by("path")[:200]) if whole else [],
    }
    return render(request, "finance/credit_figures.html", ctx)


# --- offers and tickets ---------------------------------------------------------------------------------------------


@require_perm("finance.offers_view")
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = selectors.offer_list(user=request.user)
    ctx = {
        "offers": Paginator(offers, 30).get_page(request.GET.get("page")),
        "figures": selectors.ticket_figures(user=request.user),
        "can_publish": request.user.has_role_perm(OFFERS_PUBLISH),
    }
    return render(request, "finance/offers.html", ctx)


def _publish_partners(user):
    if covers_whole_zone(user, OFFERS_PUBLISH):
        return list(Partner.objects.filter(is_active=True).order_by("name"))
    return list(Partner.objects.filter(pk__in=partners_of(user, OFFERS_PUBLISH), is_active=True).order_by("name"))


def _audiences():
    out = [("zone", _("全区企业"))]
    out += [(f"b{b.pk}", _("楼宇：%(n)s") % {"n": b.name}) for b in Building.objects.order_by("name")[:200]]
    out += [(f"c{c.pk}", _("产业链：%(n)s") % {"n": c.name}) for c in IndustryChain.objects.order_by("name")]
    return out


@require_perm("finance.offers_publish")
def offer_new(request: HttpRequest) -> HttpResponse:
    partners = _publish_partners(request.user)
    if not partners:
        raise Http404
    form = OfferForm(request.POST or None, partners=partners, audiences=_audiences(), initial={"audience": "zone"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        audience = d["audience"]
        building = Building.objects.filter(pk=audience[1:]).first() if audience.startswith("b") else None
        chain = IndustryChain.objects.filter(pk=audience[1:]).first() if audience.startswith("c") else None
        partner = next(p for p in partners if p.pk == d["partner"])
        try:
            offer = services.offer_publish(
                actor=request.user,
                partner=partner,
                title=d["title"],
                terms=d["terms"],
                eligibility=d["eligibility"],
                building=building,
                chain=chain,
                valid_from=d["valid_from"],
                valid_until=d["valid_until"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("优惠已发布。"))
            return redirect("finance:offer_detail", pk=offer.pk)
    return render(request, "finance/offer_form.html", {"form": form}, status=422 if request.method == "POST" else 200)


def _offer_ctx(request, offer, form, error=""):
    enterprise = contact_enterprises(request.user).order_by("pk").first()
    usable = enterprise is not None and services.offer_reaches(offer, enterprise) and not offer.is_withdrawn
    return {
        "o": offer,
        "form": form,
        "error": error,
        "enterprise": enterprise if usable else None,
        "can_withdraw": not offer.is_withdrawn
        and (
            offer.partner_id in partners_of(request.user, OFFERS_PUBLISH)
            or covers_whole_zone(request.user, OFFERS_PUBLISH)
        ),
    }


def _offer(request, pk):
    return get_or_404(lambda: offers_visible_to(request.user).select_related("partner", "building", "chain").get(pk=pk))


@require_perm("finance.offers_view")
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    if request.method == "POST":
        if request.POST.get("withdraw"):
            try:
                services.offer_withdraw(actor=request.user, offer=offer)
            except DomainError as exc:
                return render(
                    request,
                    "finance/offer_detail.html",
                    _offer_ctx(request, offer, TicketForm(), exc.message),
                    status=422,
                )
            messages.success(request, _("优惠已撤回。"))
            return redirect("finance:offer_detail", pk=offer.pk)
        form = TicketForm(request.POST)
        enterprise = contact_enterprises(request.user).order_by("pk").first()
        if enterprise is None or not can_use_for(request.user, enterprise):
            raise Http404
        if form.is_valid():
            try:
                ticket = services.ticket_open(
                    actor=request.user, offer=offer, enterprise=enterprise, need=form.cleaned_data["need"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("四优先工单已提交，合作单位将优先对接。"))
                return redirect("finance:ticket_detail", pk=ticket.pk)
        return render(request, "finance/offer_detail.html", _offer_ctx(request, offer, form), status=422)
    return render(request, "finance/offer_detail.html", _offer_ctx(request, offer, TicketForm()))


@require_perm("finance.offers_view")
def ticket_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    late = request.GET.get("late") == "1"
    qs = selectors.ticket_list(user=request.user, status=status, late=late)
    ctx = {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")),
        "status": status,
        "late": late,
        "statuses": TicketStatus.choices,
        "figures": selectors.ticket_figures(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "finance/tickets.html", ctx)


def _ticket_ctx(request, ticket, step_form=None, savings_form=None, error=""):
    done = {s.kind: s for s in ticket.steps.all()}
    steps = []
    for kind in PRIORITY_ORDER:
        steps.append(
            {
                "kind": kind,
                "label": Priority(kind).label,
                "sla": services.TICKET_SLA_DAYS[kind],
                "step": done.get(kind),
                "current": ticket.status == kind,
            }
        )
    return {
        "t": ticket,
        "steps": steps,
        "answer": can_answer(request.user, ticket) and ticket.status != TicketStatus.DONE,
        "current_label": Priority(ticket.status).label if ticket.status in Priority.values else "",
        "owner": can_use_for(request.user, ticket.enterprise),
        "step_form": step_form or StepForm(),
        "savings_form": savings_form or SavingsForm(initial={"savings": ticket.savings}),
        "error": error,
        "today": timezone.localdate(),
    }


@require_perm("finance.offers_view")
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = get_ticket_for_user_or_404(request.user, pk)
    return render(request, "finance/ticket_detail.html", _ticket_ctx(request, ticket))


@require_POST
@require_perm("finance.offers_view")
def ticket_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ticket = get_ticket_for_user_or_404(request.user, pk)
    if action == "savings":
        if not can_use_for(request.user, ticket.enterprise):
            raise Http404
        form = SavingsForm(request.POST)
        if form.is_valid():
            try:
                services.ticket_declare_savings(actor=request.user, ticket=ticket, amount=form.cleaned_data["savings"])
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("节约金额已申报。"))
                return redirect("finance:ticket_detail", pk=ticket.pk)
        return render(
            request, "finance/ticket_detail.html", _ticket_ctx(request, ticket, savings_form=form), status=422
        )
    if action not in Priority.values or not can_answer(request.user, ticket):
        raise Http404
    form = StepForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.TICKET_FLOW.expect_version(ticket, request.POST.get("version"))
            services.ticket_step(actor=request.user, ticket=ticket, kind=action, note=form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc.message if exc.field not in form.fields else ""
        else:
            messages.success(request, _("已办理“%(s)s”。") % {"s": Priority(action).label})
            return redirect("finance:ticket_detail", pk=ticket.pk)
    ticket.refresh_from_db()
    return render(
        request, "finance/ticket_detail.html", _ticket_ctx(request, ticket, step_form=form, error=error), status=422
    )


# --- investment -----------------------------------------------------------------------------------------------------


@require_perm("finance.invest_view")
def investment(request: HttpRequest) -> HttpResponse:
    ctx = {
        "funds": list(selectors.funds()),
        "chains": selectors.investment_by_chain(),
        "investments": list(selectors.investments(user=request.user, limit=50)),
        "listed": list(selectors.listed_firms(user=request.user)[:50]),
    }
    ctx["fund_total"] = sum((f.size for f in ctx["funds"]), start=selectors.ZERO)
    return render(request, "finance/investment.html", ctx)
