import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from hongyin.common import hooks
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_id, posted_ids
from hongyin.common.roles import Role
from hongyin.common.uploads import Attachment, attachment_response, attachment_save
from hongyin.directory.models import Department

from . import selectors, services
from .forms import AppealForm, RatingForm, VisitForm
from .models import AppealStatus, Visit
from .permissions import (
    appeals_visible_to,
    enterprises_in_scope,
    get_appeal_for_user_or_404,
    get_visit_for_user_or_404,
)


def attachments_of(obj):
    return Attachment.objects.filter(owner_label=obj._meta.label_lower, owner_id=str(obj.pk)).order_by("id")


def _page(request, qs, size=30):
    return Paginator(qs, size).get_page(request.GET.get("page"))


@require_perm("appeals.view")
def appeal_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = selectors.appeal_list(
        user=request.user,
        status=g.get("status", ""),
        category=g.get("category", ""),
        q=g.get("q", "").strip()[:50],
        overdue=g.get("overdue") == "1",
        due_today=g.get("due") == "today",
        unrated=g.get("rated") == "no",
    )
    page = _page(request, qs)
    selectors.annotate_countdown(page.object_list)
    ctx = {
        "page": page,
        "statuses": AppealStatus.choices,
        "count": page.paginator.count,
        "due_today": g.get("due") == "today",
        "unrated": g.get("rated") == "no",
    }
    return render(request, "appeals/list.html#rows" if request.htmx else "appeals/list.html", ctx)


@require_perm("appeals.queue")
def queue(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "mine")
    is_handler = any(a.role == Role.DEPT_HANDLER for a in request.user.assignments)
    supervised = list(request.user.supervised_departments.values_list("pk", flat=True))
    to_close = view == "to_close" and not is_handler
    qs = selectors.appeal_queue(
        user=request.user,
        mine_only=is_handler and view == "mine",
        overdue=request.GET.get("overdue") == "1",
        to_close=to_close,
    )
    page = _page(request, qs, size=int(request.GET.get("size", 30)) if request.GET.get("size", "").isdecimal() else 30)
    selectors.annotate_countdown(page.object_list)
    ctx = {"page": page, "view": view, "is_handler": is_handler, "supervised": supervised, "to_close": to_close}
    if not is_handler:
        ctx["to_close_count"] = selectors.appeal_queue(user=request.user, to_close=True).count()
    return render(request, "appeals/queue.html#rows" if request.htmx else "appeals/queue.html", ctx)


BULK = {"accept", "urge", "close"}


@require_POST
@require_perm("appeals.queue")
def queue_bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    back = redirect("appeals:queue")
    if request.POST.get("view") == "to_close":
        back = redirect(reverse("appeals:queue") + "?view=to_close")
    one = request.POST.get("close_one")  # the close button of one row of the 待办结 view
    if one:
        action, raw_ids = "close", [one]
    else:
        raw_ids = request.POST.getlist("ids")[:200]
    if action not in BULK:
        messages.error(request, _("请选择批量操作。"))
        return back
    try:
        ids = posted_ids(raw_ids, _("诉求"), field="ids")
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    done, failed = 0, []
    found = (
        appeals_visible_to(request.user, "appeals.queue")
        .filter(pk__in=ids)
        .select_related("category", "department", "enterprise__org")
    )
    found = list(found)
    with transaction.atomic(), services.APPEAL_FLOW.locked(found):
        for appeal in found:
            try:  # each service is atomic on its own: a refused appeal leaves the others done
                if action == "accept":
                    services.appeal_accept(actor=request.user, appeal=appeal)
                elif action == "close":
                    services.appeal_close(actor=request.user, appeal=appeal)
                else:
                    services.appeal_urge(actor=request.user, appeal=appeal, note=_("批量催办"))
                done += 1
            except (DomainError, NotFound) as exc:
                failed.append(f"{appeal.number}: {getattr(exc, 'message', _('不存在'))}")
    if done:
        messages.success(request, _("已处理 %(n)s 件。") % {"n": done})
    for f in failed[:5]:
        messages.error(request, f)
    return back


@require_perm("appeals.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_appeal_for_user_or_404(request.user, pk)
    return render(request, "appeals/detail.html", _detail_context(request, appeal))


def _detail_context(request: HttpRequest, appeal, rating_form: RatingForm | None = None) -> dict:
    appeal = (
        type(appeal)
        .objects.select_related("enterprise", "category", "department", "handler", "visit")
        .get(pk=appeal.pk)
    )
    selectors.annotate_countdown([appeal])
    return {
        "a": appeal,
        "events": appeal.events.select_related("actor", "department"),
        "attachments": attachments_of(appeal),
        "similar": services.similar_for(appeal, viewer=request.user),
        "actions": [t.action for t in services.APPEAL_FLOW.actions_for(request.user, appeal)],
        "labels": services.ACTION_LABELS,
        "departments": Department.objects.filter(is_active=True).order_by("name"),
        "rating_form": rating_form or RatingForm(),
    }


@require_POST
@require_perm("appeals.view")
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appeal = get_appeal_for_user_or_404(request.user, pk)
    p = request.POST
    user = request.user
    try:
        dept_pk = posted_id(p.get("department"), _("部门"), field="department", required=False)
    except DomainError as exc:
        return render(request, "appeals/detail_error.html", {"a": appeal, "message": exc.message}, status=422)
    dept = Department.objects.filter(pk=dept_pk, is_active=True).first() if dept_pk else None
    calls = {
        "dispatch": lambda: services.appeal_dispatch(
            actor=user, appeal=appeal, department=dept, note=p.get("note", "")
        ),
        "accept": lambda: services.appeal_accept(actor=user, appeal=appeal),
        "return": lambda: services.appeal_return(actor=user, appeal=appeal, reason=p.get("reason", "")),
        "transfer": lambda: services.appeal_transfer(
            actor=user, appeal=appeal, department=dept, reason=p.get("reason", "")
        ),
        "urge": lambda: services.appeal_urge(actor=user, appeal=appeal, note=p.get("note", "")),
        "extension_request": lambda: services.appeal_request_extension(
            actor=user, appeal=appeal, days=p.get("days"), reason=p.get("reason", "")
        ),
        "extension_approve": lambda: services.appeal_decide_extension(actor=user, appeal=appeal, approve=True),
        "extension_refuse": lambda: services.appeal_decide_extension(actor=user, appeal=appeal, approve=False),
        "reply": lambda: services.appeal_reply(actor=user, appeal=appeal, text=p.get("text", "")),
        "reply_final": lambda: services.appeal_reply(
            actor=user,
            appeal=appeal,
            text=p.get("text", ""),
            final=True,
            resolved={"1": True, "0": False}.get(p.get("resolved", "")),
        ),
        "close": lambda: services.appeal_close(actor=user, appeal=appeal, note=p.get("note", "")),
        "follow_up": lambda: services.appeal_follow_up(actor=user, appeal=appeal, note=p.get("note", "")),
        "rate": lambda: services.appeal_rate(
            actor=user, appeal=appeal, rating=p.get("rating", ""), comment=p.get("comment", "")
        ),
        "reopen": lambda: services.appeal_reopen(actor=user, appeal=appeal, reason=p.get("reason", "")),
    }
    if action == "attach":
        upload = request.FILES.get("file")
        if not upload:
            messages.error(request, _("请选择文件。"))
        else:
            try:
                attachment_save(actor=user, upload=upload, owner=appeal)
                messages.success(request, _("附件已上传。"))
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect(appeal.get_absolute_url())
    if action not in calls:
        raise Http404
    try:
        services.APPEAL_FLOW.expect_version(appeal, p.get("version"))  # the page the user acted on is current
        calls[action]()
        messages.success(request, _("已%(a)s。") % {"a": services.ACTION_LABELS[action]})
    except DomainError as exc:
        if action == "rate" and exc.field in RatingForm.base_fields and services.APPEAL_FLOW.may(user, appeal, "rate"):
            # the rating form again, as typed, with the error under its field
            form = RatingForm(p)
            form.is_valid()
            form.add_error(exc.field, exc.message)
            return render(request, "appeals/detail.html", _detail_context(request, appeal, form), status=422)
        messages.error(request, exc.message)
        return render(request, "appeals/detail_error.html", {"a": appeal, "message": exc.message}, status=422)
    return redirect(appeal.get_absolute_url())


@require_perm("appeals.view")
def attachment(request: HttpRequest, pk: int, att: int) -> HttpResponse:
    appeal = get_appeal_for_user_or_404(request.user, pk)
    item = attachments_of(appeal).filter(pk=att).first()
    if item is None:
        raise Http404
    return attachment_response(item)


@require_perm("appeals.submit")
def new(request: HttpRequest) -> HttpResponse:
    enterprises = enterprises_in_scope(request.user, "appeals.submit").order_by("name")
    portal = request.user.has_role_perm("appeals.rate")
    form = AppealForm(request.POST or None, request.FILES or None, enterprises=enterprises, portal=portal)
    similar = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            appeal = services.appeal_submit(
                actor=request.user,
                enterprise=d["enterprise"],
                category=d["category"],
                title=d["title"],
                content=d["content"],
                source=d.get("source") or "portal",
                uploads=[d["attachment"]] if d.get("attachment") else [],
            )
            similar = services.similar_for(appeal, viewer=request.user)
            if similar:
                numbers = pgettext("punctuation", "、").join(s.number for s in similar[:3])
                messages.warning(request, _("提示：该企业近 30 天内提交过相似诉求：%(n)s") % {"n": numbers})
            messages.success(request, _("诉求已提交，编号 %(n)s。") % {"n": appeal.number})
            if appeal.department_id:
                messages.info(request, _("已按类别自动派至%(d)s办理。") % {"d": appeal.department.name})
            return redirect(appeal.get_absolute_url())
        except DomainError as exc:
            field = "attachment" if exc.field == "file" else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
    return render(request, "appeals/new.html", {"form": form}, status=422 if form.errors else 200)


# Apps above appeals add to the enterprise contact's home: `(user) -> context entries`.
PORTAL_EXTRAS = hooks.define("appeals.portal_extras")


@require_perm("appeals.rate")
def portal(request: HttpRequest) -> HttpResponse:
    """The enterprise contact's home: its appeals and the policies pushed to it."""
    appeals = selectors.appeal_list(user=request.user)[:50]
    ctx = {"appeals": appeals, "pushes": []}
    for extra in hooks.registered(PORTAL_EXTRAS):  # the policies app adds the policies pushed to the enterprise
        ctx.update(extra(request.user))
    return render(request, "appeals/portal.html", ctx)


@require_perm("appeals.dispatch")
def departments(request: HttpRequest) -> HttpResponse:
    from hongyin.accounts.models import User

    if request.method == "POST":
        try:
            dept_pk = posted_id(request.POST.get("department"), _("部门"), field="department")
            ids = posted_ids(request.POST.getlist("supervisors"), _("分管负责人"), field="supervisors")
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("appeals:departments")
        dept = Department.objects.filter(pk=dept_pk).first()
        if dept is None:
            raise Http404
        try:
            services.department_set_supervisors(actor=request.user, department=dept, user_ids=ids)
            messages.success(request, _("已更新 %(d)s 的分管负责人。") % {"d": dept.name})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("appeals:departments")
    candidates = User.objects.filter(is_active=True, role_assignments__role__in=[Role.ZONE_ADMIN, Role.DEPT_HANDLER])
    ctx = {"departments": selectors.department_overview(), "candidates": candidates.distinct().order_by("username")}
    return render(request, "appeals/departments.html", ctx)


# --- visits ---------------------------------------------------------------------------------------------------


@require_perm("visits.view")
def visit_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.visit_list(user=request.user, planned=False))
    return render(request, "appeals/visits.html#rows" if request.htmx else "appeals/visits.html", {"page": page})


@require_perm("visits.manage")
def visit_new(request: HttpRequest) -> HttpResponse:
    from .services_visits import visit_record

    enterprises = enterprises_in_scope(request.user, "visits.manage").order_by("name")
    form = VisitForm(request.POST or None, request.FILES or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit, appeal = visit_record(
                actor=request.user, upload=d.get("attachment"), **{k: v for k, v in d.items() if k != "attachment"}
            )
            messages.success(request, _("走访已记录。"))
            if appeal:
                messages.success(request, _("诉求已提交，编号 %(n)s。") % {"n": appeal.number})
            return redirect(visit.get_absolute_url())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "appeals/visit_new.html", {"form": form}, status=422 if form.errors else 200)


@require_perm("visits.view")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_user_or_404(request.user, pk)
    visit = Visit.objects.select_related("enterprise", "visitor").get(pk=visit.pk)
    return render(
        request,
        "appeals/visit_detail.html",
        {"v": visit, "appeals": visit.appeals.all(), "attachments": attachments_of(visit)},
    )


@require_perm("visits.view")
def visit_attachment(request: HttpRequest, pk: int, att: int) -> HttpResponse:
    visit = get_visit_for_user_or_404(request.user, pk)
    item = attachments_of(visit).filter(pk=att).first()
    if item is None:
        raise Http404
    return attachment_response(item)


@require_perm("visits.view")
def visit_coverage(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "grid")
    if by not in ("grid", "committee", "instructor"):
        by = "grid"
    days = (
        int(request.GET["days"])
        if request.GET.get("days", "").isdecimal() and 0 < int(request.GET["days"]) < 3660
        else None
    )
    rows = selectors.visit_coverage(user=request.user, by=by, days=days)
    missing = selectors.not_visited(user=request.user, days=days)
    ctx = {
        "rows": rows,
        "by": by,
        "missing": missing.select_related("grid_cell").order_by("name")[:100],
        "missing_count": missing.count(),
        "days": days or 90,
    }
    return render(request, "appeals/coverage.html", ctx)


@require_perm("visits.view")
def visit_calendar(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("within", "")
    within = int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= 366 else None
    planned = selectors.planned_visits(user=request.user, within_days=within)
    days: dict = {}
    for v in planned[:300]:
        days.setdefault(v.visited_on, []).append(v)
    ctx = {"days": sorted(days.items()), "within": within, "count": planned.count()}
    return render(request, "appeals/visit_calendar.html", ctx)


# --- figures --------------------------------------------------------------------------------------------------


@require_perm("appeals.stats")
def stats(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "department")
    if by not in (*selectors.GROUPS, "month"):
        by = "department"
    total = selectors.appeal_figures(user=request.user)
    rows = selectors.appeal_figures_by(user=request.user, by=by)
    months = selectors.appeal_figures_by(user=request.user, by="month")
    font = {"fontFamily": '"Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'}
    chart = {
        "textStyle": font,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("按时办结率"), _("满意率"), _("诉求数")], "itemGap": 28},
        "xAxis": {"type": "category", "data": [m["label"] for m in months]},
        "yAxis": [{"type": "value", "max": 100}, {"type": "value"}],
        "series": [
            {"name": _("按时办结率"), "type": "line", "data": [m["on_time_rate"] for m in months]},
            {"name": _("满意率"), "type": "line", "data": [m["satisfaction_rate"] for m in months]},
            {"name": _("诉求数"), "type": "bar", "yAxisIndex": 1, "data": [m["total"] for m in months]},
        ],
    }
    bar = {
        "textStyle": font,
        "tooltip": {},
        "xAxis": {"type": "category", "data": [r["label"] for r in rows], "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": _("诉求数"), "data": [r["total"] for r in rows]}],
    }
    ctx = {
        "total": total,
        "rows": rows,
        "by": by,
        "groups": [
            ("department", _("部门")),
            ("category", _("类别")),
            ("building", _("楼宇")),
            ("chain", _("产业链")),
            ("month", _("月份")),
        ],
        "chart_json": json.dumps(chart, ensure_ascii=False),
        "bar_json": json.dumps(bar, ensure_ascii=False),
    }
    return render(request, "appeals/stats.html", ctx)


@require_perm("appeals.stats")
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    from .reports import monthly_report_pdf, monthly_report_xlsx

    month = request.GET.get("month", "")
    try:
        if fmt == "xlsx":
            data, name = monthly_report_xlsx(user=request.user, month=month)
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif fmt == "pdf":
            data, name = monthly_report_pdf(user=request.user, month=month)
            ctype = "application/pdf"
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("appeals:stats")
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
