import os
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_id, posted_ids
from hongyin.members.permissions import members_visible_to
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import get_org_for_user_or_404, orgs_visible_to

from . import selectors, services
from .export import export_records
from .models import DuesMonthClose, DuesProfile, PaymentMethod, ReductionKind, ReductionStatus
from .permissions import get_record_for_user_or_404, get_reduction_for_user_or_404, reductions_visible_to
from .rules import add_months, month_start, parse_month


def _month(request, key="month", default=None) -> date:
    raw = request.GET.get(key) or request.POST.get(key)
    if not raw:
        return default or month_start(timezone.localdate())
    try:
        return parse_month(raw)
    except DomainError:
        return default or month_start(timezone.localdate())


def _branches(user):
    return orgs_visible_to(user, "dues.manage").filter(kind__in=BRANCH_KINDS).order_by("path")


def _branch(request):
    raw = request.GET.get("branch") or request.POST.get("branch")
    if raw:
        org = get_org_for_user_or_404(request.user, raw, "dues.manage")
        if org.kind not in BRANCH_KINDS:
            raise Http404
        return org
    return _branches(request.user).first()


def _branch_required(request):
    branch = _branch(request)
    if branch is None:
        raise Http404
    return branch


def _ledger_url(branch, month) -> str:
    return f"{reverse('dues:ledger')}?branch={branch.pk}&month={month:%Y-%m}"


def _posted_date(raw: str | None, *, field: str = "paid_on") -> date | None:
    """A date as an <input type=date> posts it; empty is None (the service's default), garbage is refused."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("请填写正确的日期（如 %(d)s）。") % {"d": f"{timezone.localdate():%Y-%m-%d}"}, field=field)


@require_perm("dues.view")
def ledger(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role_perm("dues.manage"):
        return redirect("dues:mine")
    branch = _branch(request)
    month = _month(request)
    if branch is None:
        return render(request, "dues/ledger.html", {"branch": None})
    rows, totals = selectors.ledger(user=request.user, branch=branch, month=month)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    ctx = {
        "branch": branch,
        "branches": _branches(request.user)[:500],
        "month": month,
        "prev": add_months(month, -1),
        "next": add_months(month, 1) if month < month_start(timezone.localdate()) else None,
        "page": page,
        "totals": totals,
        "closed": DuesMonthClose.objects.filter(org=branch, month=month).exists(),
        "methods": PaymentMethod.choices,
        "today": timezone.localdate(),
    }
    return render(request, "dues/ledger.html#rows" if request.htmx else "dues/ledger.html", ctx)


@require_POST
@require_perm("dues.manage")
def month_open(request: HttpRequest) -> HttpResponse:
    branch, month = _branch_required(request), _month(request)
    try:
        n = services.dues_month_open(actor=request.user, org=branch, month=month)
        messages.success(request, _("已生成 %(n)d 条应缴记录。") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_ledger_url(branch, month))


@require_POST
@require_perm("dues.manage")
def pay(request: HttpRequest) -> HttpResponse:
    branch, month = _branch_required(request), _month(request)
    try:
        member_pk = posted_id(request.POST.get("member"), _("党员"), field="member")
        member = members_visible_to(request.user, "dues.manage").get(pk=member_pk)
    except (DomainError, members_visible_to(request.user).model.DoesNotExist):
        raise Http404
    try:
        services.dues_pay(
            actor=request.user,
            member=member,
            month=month,
            amount=request.POST.get("amount"),
            paid_on=_posted_date(request.POST.get("paid_on")),
            method=request.POST.get("method", ""),
        )
        messages.success(request, _("已登记 %(n)s 的党费。") % {"n": member.name})
    except DomainError as exc:
        messages.error(request, _("%(n)s：%(e)s") % {"n": member.name, "e": exc.message})
    return redirect(_ledger_url(branch, month))


@require_POST
@require_perm("dues.manage")
def pay_correct(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record_for_user_or_404(request.user, pk)
    member = record.member
    try:
        services.dues_payment_correct(
            actor=request.user,
            record=record,
            amount=request.POST.get("amount"),
            paid_on=_posted_date(request.POST.get("paid_on")),
            method=request.POST.get("method", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(
            request, _("已更正 %(n)s %(m)s 的缴纳记录。") % {"n": member.name, "m": f"{record.month:%Y-%m}"}
        )
    except DomainError as exc:
        messages.error(request, _("%(n)s：%(e)s") % {"n": member.name, "e": exc.message})
    return redirect(_ledger_url(record.branch, record.month))


@require_POST
@require_perm("dues.manage")
def pay_bulk(request: HttpRequest) -> HttpResponse:
    branch, month = _branch_required(request), _month(request)
    try:
        ids = posted_ids(request.POST.getlist("member_ids"), _("党员"), field="member_ids")
        n = services.dues_pay_bulk(
            actor=request.user,
            branch=branch,
            month=month,
            member_ids=ids,
            paid_on=_posted_date(request.POST.get("paid_on")),
            method=request.POST.get("method", ""),
        )
        messages.success(request, _("已按应缴金额登记 %(n)d 人。") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_ledger_url(branch, month))


@require_POST
@require_perm("dues.manage")
def month_close(request: HttpRequest) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, request.POST.get("org") or request.POST.get("branch"), "dues.manage")
    month = _month(request)
    try:
        close = services.dues_month_close(actor=request.user, org=org, month=month)
        messages.success(
            request,
            _("%(m)s 已结账：%(n)d 人，应缴 %(d)s 元，实缴 %(p)s 元。")
            % {"m": f"{month:%Y-%m}", "n": close.members, "d": close.due_total, "p": close.paid_total},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect(_ledger_url(org, month) if org.kind in BRANCH_KINDS else reverse("dues:report"))


@require_perm("dues.manage")
def arrears(request: HttpRequest) -> HttpResponse:
    try:
        months = max(1, min(int(request.GET.get("months", 3)), 24))
    except ValueError:
        months = 3
    raw_below = request.GET.get("below", "")
    below = int(raw_below) if raw_below.isascii() and raw_below.isdigit() and months < int(raw_below) <= 25 else None
    rows = selectors.arrears_list(user=request.user, min_months=months, below=below)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "dues/arrears.html", {"page": page, "months": months, "below": below})


def _report_params(request):
    orgs = orgs_visible_to(request.user, "dues.manage").exclude(kind__in=[*BRANCH_KINDS, "group"]).order_by("path")
    raw = request.GET.get("org")
    org = get_org_for_user_or_404(request.user, raw, "dues.manage") if raw else None
    if org is None:
        roots = [
            a.org
            for a in request.user.assignments
            if a.org_id and a.role in ("zone_admin", "committee_admin", "branch_secretary")
        ]
        org = roots[0] if roots else None
    end = _month(request, "end")
    start = _month(request, "start", default=add_months(end, -11))
    if start > end:
        start, end = end, start
    return orgs, org, start, end


@require_perm("dues.manage")
def report(request: HttpRequest) -> HttpResponse:
    orgs, org, start, end = _report_params(request)
    rows, totals = selectors.collection_report(user=request.user, org=org, start=start, end=end) if org else ([], {})
    ctx = {"orgs": orgs[:300], "org": org, "start": start, "end": end, "rows": rows, "totals": totals}
    return render(request, "dues/report.html", ctx)


@require_perm("dues.manage")
def export(request: HttpRequest) -> HttpResponse:
    _orgs, org, start, end = _report_params(request)
    if org is None:
        raise Http404
    path, _n = export_records(user=request.user, org=org, start=start, end=end)
    handle = open(path, "rb")  # noqa: SIM115  FileResponse closes it
    os.unlink(path)  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename=f"dues-{start:%Y%m}-{end:%Y%m}.xlsx")


@require_perm("dues.view")
def mine(request: HttpRequest) -> HttpResponse:
    records = selectors.my_records(user=request.user)[:36]
    return render(request, "dues/mine.html", {"records": records, "standing": selectors.my_standing(user=request.user)})


@require_perm("dues.manage")
def member_dues(request: HttpRequest, member_id: int) -> HttpResponse:
    """One member: dues profile (base, extra), recent records, reduction requests."""
    try:
        member = members_visible_to(request.user, "dues.manage").select_related("org").get(pk=member_id)
    except members_visible_to(request.user).model.DoesNotExist:
        raise Http404
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("form") == "reduction":
                services.dues_reduction_request(
                    actor=request.user,
                    member=member,
                    kind=request.POST.get("kind", ""),
                    monthly_amount=request.POST.get("monthly_amount") or "0",
                    start_month=parse_month(request.POST.get("start_month", ""), field="start_month"),
                    end_month=parse_month(request.POST.get("end_month", ""), field="end_month"),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("减免申请已提交上级党委审批。"))
            else:
                services.dues_profile_set(
                    actor=request.user,
                    member=member,
                    base=request.POST.get("base"),
                    voluntary_extra=request.POST.get("voluntary_extra") or "0",
                    farmer_amount=request.POST.get("farmer_amount") or None,
                )
                messages.success(request, _("已保存党费基数。"))
            return redirect("dues:member", member_id=member.pk)
        except DomainError as exc:
            errors[exc.field or "general"] = exc.message
    profile = DuesProfile.objects.filter(member=member).first()
    ctx = {
        "member": member,
        "profile": {
            "base": profile.base if profile else "0",
            "voluntary_extra": profile.voluntary_extra if profile else "0",
            "farmer_amount": (profile.farmer_amount if profile else None) or "",
        },
        "amount": services.amount_for(member, month_start(timezone.localdate())),
        "records": member.dues_records.order_by("-month")[:12],
        "reductions": reductions_visible_to(request.user).filter(member=member),
        "errors": errors,
        "post": request.POST,
        "kinds": ReductionKind.choices,
    }
    return render(request, "dues/member.html", ctx, status=422 if errors else 200)


@require_perm("dues.manage")
def reductions(request: HttpRequest) -> HttpResponse:
    qs = reductions_visible_to(request.user).select_related("member", "branch")
    status = request.GET.get("status", ReductionStatus.REQUESTED)
    if status in ReductionStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "status": status,
        "statuses": ReductionStatus.choices,
        "can_approve": request.user.has_role_perm("dues.approve"),
    }
    return render(request, "dues/reductions.html", ctx)


@require_POST
@require_perm("dues.approve")
def reduction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    reduction = get_reduction_for_user_or_404(request.user, pk)
    try:
        services.dues_reduction_decide(
            actor=request.user,
            reduction=reduction,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("已审批。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("dues:reductions")
