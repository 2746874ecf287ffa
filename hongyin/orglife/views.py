"""Pages of organizational life: the meeting list, the record form with its attendance from the roster, the detail
with the workflow's actions, the compliance report, the frequencies and exemptions, the members' standing."""

import json
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_id
from hongyin.common.uploads import Attachment, attachment_response
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import get_org_for_user_or_404, orgs_visible_to

from . import selectors, services
from .forms import (
    ActionForm,
    ExemptionForm,
    FrequencyForm,
    GuideForm,
    MeetingFilterForm,
    MeetingForm,
    add_domain_error,
    posted_attendance,
)
from .models import (
    QUORUM_KINDS,
    AttendanceState,
    Exemption,
    MeetingKind,
    MeetingStatus,
    MonthlyGuide,
    Period,
    RequiredFrequency,
)
from .periods import add_months, check_range, month_start, parse_month
from .permissions import MANAGE, can_approve, can_manage, get_meeting_for_user_or_404

TEXT_FIELDS = ("title", "place", "presenter", "recorder", "invitees", "topics", "minutes", "resolutions")


def _month(value, label: str, field: str) -> date | None:
    return parse_month(value, field=field, label=label) if value else None


# --- the list -------------------------------------------------------------------------------------------------------


@require_perm("orglife.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None)
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    error = ""
    try:
        start = _month(data.get("start"), _("起始月份"), "start")
        end = _month(data.get("end"), _("截止月份"), "end")
    except DomainError as exc:
        start = end = None
        error = exc.message
    org = None
    if data.get("org"):
        org = get_org_for_user_or_404(request.user, data["org"], "orglife.view")
    filters = selectors.MeetingFilter(
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        start=start,
        end=end,
        org=org,
        below_quorum=request.GET.get("quorum") == "below",
    )
    page = Paginator(selectors.meeting_list(user=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "form": form,
        "f": filters,
        "filter_org": org,
        "error": error,
        "kinds": MeetingKind.choices,
        "statuses": MeetingStatus.choices,
        "can_manage": request.user.has_role_perm(MANAGE),
        "query": request.GET.copy().urlencode() if request.GET else "",
        "guide": None if request.htmx else selectors.current_guide(timezone.localdate()),
        "today": timezone.localdate(),
    }
    return render(request, "orglife/list.html#rows" if request.htmx else "orglife/list.html", ctx)


# --- the record form ------------------------------------------------------------------------------------------------


def _manage_orgs(user):
    return list(
        orgs_visible_to(user, MANAGE)
        .filter(dissolved_on__isnull=True, kind__in=services.MEETING_ORG_KINDS)
        .order_by("path")[:500]
    )


def _roster_rows(org, day, states: dict[int, str] | None):
    if org is None or day is None:
        return []
    return [
        {"entry": e, "state": (states or {}).get(e.member.pk, AttendanceState.PRESENT)}
        for e in selectors.roster_at(org, day)
    ]


def _form_ctx(request, form, *, meeting=None, org=None, day=None, states=None, error=""):
    return {
        "form": form,
        "meeting": meeting,
        "roster": _roster_rows(org, day, states),
        "roster_day": day,
        "roster_org": org,
        "states": AttendanceState.choices,
        "error": error,
        "quorum_kinds": sorted(QUORUM_KINDS),
    }


def _chosen_org(request, orgs, raw):
    if not raw:
        return orgs[0] if len(orgs) == 1 else None
    try:
        pk = posted_id(raw, _("党组织"), field="org")
    except DomainError:
        return None
    return next((o for o in orgs if o.pk == pk), None)


def _parsed_day(raw) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def _save(request, form, orgs, meeting=None):
    """Create or update from a posted form; (meeting, None) or (None, the error shown above the form)."""
    data = form.cleaned_data
    org = next((o for o in orgs if o.pk == data["org"]), None)
    if org is None:
        raise Http404
    attendance = posted_attendance(request.POST) if data.get("held_on") else None
    fields = {name: data.get(name, "") for name in TEXT_FIELDS}
    if meeting is None:
        return services.meeting_create(
            actor=request.user,
            org=org,
            kind=data["kind"],
            planned_on=data.get("planned_on"),
            held_on=data.get("held_on"),
            attendance=attendance,
            **fields,
        )
    if org.pk != meeting.org_id:
        raise DomainError(_("已登记的会议不能更换党组织；请新建一条记录。"), field="org")
    version = posted_id(request.POST.get("version"), _("版本"), field="version", required=False)
    return services.meeting_update(
        actor=request.user,
        meeting=meeting,
        version=version,
        kind=data["kind"],
        planned_on=data.get("planned_on"),
        held_on=data.get("held_on"),
        attendance=attendance,
        **fields,
    )


def _form_view(request, meeting=None):
    orgs = _manage_orgs(request.user)
    if meeting is not None:
        initial = {name: getattr(meeting, name) for name in (*TEXT_FIELDS, "kind", "planned_on", "held_on")}
        initial["org"] = meeting.org_id
        states = dict(meeting.attendance.values_list("member_id", "state"))
    else:
        org = _chosen_org(request, orgs, request.GET.get("org"))
        initial = {
            "org": org.pk if org else None,
            "kind": request.GET.get("kind") if request.GET.get("kind") in MeetingKind.values else MeetingKind.GENERAL,
            "held_on": timezone.localdate(),
        }
        for name in ("title", "topics"):  # a topic of the month's guide ("record a meeting on this topic")
            if request.GET.get(name):
                initial[name] = request.GET[name][: 120 if name == "title" else 2000]
        states = None
    form = MeetingForm(request.POST or None, orgs=orgs, initial=initial)
    error = ""
    if request.method == "POST":
        org = _chosen_org(request, orgs, request.POST.get("org"))
        day = _parsed_day(request.POST.get("held_on"))
        try:
            states = posted_attendance(request.POST)
        except DomainError as exc:
            error, states = exc.message, None
        if form.is_valid() and not error:
            try:
                saved = _save(request, form, orgs, meeting)
            except DomainError as exc:
                add_domain_error(form, exc)
                if exc.field not in form.fields:
                    error = exc.message
            else:
                messages.success(request, _("会议记录已保存。"))
                return redirect("orglife:detail", pk=saved.pk)
        ctx = _form_ctx(request, form, meeting=meeting, org=org, day=day, states=states, error=error)
        return render(request, "orglife/form.html", ctx, status=422)
    org = meeting.org if meeting else _chosen_org(request, orgs, initial.get("org"))
    day = meeting.held_on if meeting else initial["held_on"]
    return render(
        request, "orglife/form.html", _form_ctx(request, form, meeting=meeting, org=org, day=day, states=states)
    )


@require_perm("orglife.manage")
def meeting_new(request: HttpRequest) -> HttpResponse:
    return _form_view(request)


@require_perm("orglife.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, pk)
    if not can_manage(request.user, meeting):
        raise Http404
    if not meeting.editable:
        messages.error(request, _("会议记录当前状态为“%(s)s”，不能修改。") % {"s": meeting.get_status_display()})
        return redirect("orglife:detail", pk=meeting.pk)
    return _form_view(request, meeting)


@require_perm("orglife.manage")
def roster(request: HttpRequest) -> HttpResponse:
    """The attendance part of the form for the chosen organization and day (htmx, when either changes)."""
    orgs = _manage_orgs(request.user)
    org = _chosen_org(request, orgs, request.GET.get("org"))
    day = _parsed_day(request.GET.get("held_on"))
    if day is not None and day > timezone.localdate():
        day = None
    ctx = {"roster": _roster_rows(org, day, None), "roster_day": day, "roster_org": org}
    return render(request, "orglife/form.html#attendance", {**ctx, "states": AttendanceState.choices})


# --- the detail and its actions -----------------------------------------------------------------------------------


def _detail_ctx(request, meeting, form, error=""):
    allowed = {t.action for t in services.MEETING_FLOW.actions_for(request.user, meeting)}
    return {
        "m": meeting,
        "attendance": selectors.attendance_of(meeting),
        "events": meeting.events.select_related("actor"),
        "photos": meeting.photos.select_related("attachment"),
        "allowed": allowed,
        "form": form,
        "error": error,
        "can_edit": meeting.editable and can_manage(request.user, meeting),
    }


@require_perm("orglife.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, pk)
    return render(request, "orglife/detail.html", _detail_ctx(request, meeting, ActionForm()))


ACTIONS = {
    "submit": lambda u, m, reason: services.meeting_submit(actor=u, meeting=m, note=reason),
    "approve": lambda u, m, reason: services.meeting_approve(actor=u, meeting=m, note=reason),
    "return": lambda u, m, reason: services.meeting_return(actor=u, meeting=m, reason=reason),
}


@require_POST
@require_perm("orglife.view")
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    if not (can_manage(request.user, meeting) or can_approve(request.user, meeting)):
        raise Http404
    form = ActionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.MEETING_FLOW.expect_version(meeting, request.POST.get("version"))
            if not services.MEETING_FLOW.may(request.user, meeting, action):
                services.MEETING_FLOW.check(meeting, action)  # says why, in the state's words
                raise DomainError(_("您不能对该会议记录执行此操作。"))
            ACTIONS[action](request.user, meeting, form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc.message if exc.field not in form.fields else ""
        else:
            messages.success(request, _("已%(a)s。") % {"a": services.MEETING_FLOW.label(action)})
            return redirect("orglife:detail", pk=meeting.pk)
    meeting.refresh_from_db()
    return render(request, "orglife/detail.html", _detail_ctx(request, meeting, form, error), status=422)


@require_POST
@require_perm("orglife.manage")
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, pk)
    if not can_manage(request.user, meeting):
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("请选择要上传的文件。"), field="file")
        services.meeting_add_photo(actor=request.user, meeting=meeting, upload=upload)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("orglife:detail", pk=meeting.pk)


@require_perm("orglife.view")
def photo_download(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, pk)
    photo = meeting.photos.select_related("attachment").filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    att: Attachment = photo.attachment
    return attachment_response(att)


# --- compliance -----------------------------------------------------------------------------------------------------


def compliance_params(request, user) -> tuple:
    """(org, start, end, error) from ?org=&start=&end= — the page, the API and the workbench panel's links agree."""
    today = timezone.localdate()
    start, end = selectors.default_range(today)
    error = ""
    try:
        start = _month(request.GET.get("start"), _("起始月份"), "start") or start
        end = _month(request.GET.get("end"), _("截止月份"), "end") or end
        check_range(start, end)
    except DomainError as exc:
        start, end = selectors.default_range(today)
        error = exc.message
    raw = request.GET.get("org")
    org = get_org_for_user_or_404(user, raw, "orglife.compliance") if raw else selectors.default_org(user)
    return org, start, end, error


def compliance_url(org, start: date, end: date, **extra) -> str:
    query = f"org={org.pk}&start={start:%Y-%m}&end={end:%Y-%m}"
    for key, value in extra.items():
        query += f"&{key}={value}"
    return reverse("orglife:compliance") + "?" + query


def _chart(report) -> str:
    totals = report.totals()
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "bottom": 60, "top": 40},
        "xAxis": {"type": "category", "data": [t["label"] for t in totals], "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": _("应开"), "type": "bar", "data": [t["required"] for t in totals]},
            {"name": _("已开"), "type": "bar", "data": [t["held"] for t in totals]},
            {"name": _("落后支部"), "type": "bar", "data": [t["branches_behind"] for t in totals]},
        ],
    }
    return json.dumps(option, ensure_ascii=False)


@require_perm("orglife.compliance")
def compliance(request: HttpRequest) -> HttpResponse:
    org, start, end, error = compliance_params(request, request.user)
    if org is None:
        raise Http404
    report = selectors.compliance(user=request.user, org=org, start=start, end=end, today=timezone.localdate())
    behind_only = request.GET.get("behind") == "1"
    rows = report.red_list if behind_only else report.rows
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    choices = list(
        orgs_visible_to(request.user, "orglife.compliance")
        .exclude(kind__in=[*BRANCH_KINDS, "group"])
        .filter(dissolved_on__isnull=True)
        .order_by("path")[:200]
    )
    if org not in choices:
        choices.insert(0, org)
    ctx = {
        "report": report,
        "totals": report.totals(),
        "red_list": report.red_list[:20],
        "page": page,
        "behind_only": behind_only,
        "orgs": choices,
        "org": org,
        "error": error,
        "chart_json": _chart(report),
        "base_query": f"org={org.pk}&start={start:%Y-%m}&end={end:%Y-%m}",
        "can_configure": request.user.has_role_perm("orglife.configure"),
    }
    return render(request, "orglife/compliance.html", ctx)


# --- the zone's rules -----------------------------------------------------------------------------------------------


@require_perm("orglife.configure")
def rules(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "frequency":
                form = FrequencyForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("请检查周期和次数。"))
                d = form.cleaned_data
                services.frequency_set(
                    actor=request.user, kind=d["kind"], period=d["period"], times=d["times"], active=d["active"]
                )
                messages.success(request, _("频次要求已保存。"))
            elif request.POST.get("form") == "exemption":
                form = ExemptionForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("请完整填写豁免的党支部、会议类型、起止月份和原因。"))
                d = form.cleaned_data
                org = get_org_for_user_or_404(
                    request.user, posted_id(d["org"], _("党支部"), field="org"), "orglife.configure"
                )
                services.exemption_add(
                    actor=request.user,
                    org=org,
                    kind=d["kind"],
                    reason=d["reason"],
                    start=parse_month(d["start"], field="start", label=_("起始月份")),
                    end=parse_month(d["end"], field="end", label=_("截止月份")),
                )
                messages.success(request, _("豁免已登记。"))
            elif request.POST.get("form") == "exemption_remove":
                pk = posted_id(request.POST.get("exemption"), _("豁免"), field="exemption")
                exemption = _exemption_for(request.user, pk)
                services.exemption_remove(actor=request.user, exemption=exemption)
                messages.success(request, _("豁免已取消。"))
            else:
                raise Http404
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("orglife:rules")
    existing = {r.kind: r for r in RequiredFrequency.objects.all()}
    frequencies = [(value, label, existing.get(value)) for value, label in MeetingKind.choices]
    ctx = {
        "frequencies": frequencies,
        "periods": Period.choices,
        "kinds": MeetingKind.choices,
        "exemptions": Exemption.objects.filter(
            org__in=orgs_visible_to(request.user, "orglife.configure")
        ).select_related("org")[:200],
        "branches": orgs_visible_to(request.user, "orglife.configure")
        .filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
        .order_by("path")[:1000],
        "error": error,
        "this_month": month_start(timezone.localdate()),
    }
    return render(request, "orglife/rules.html", ctx, status=422 if error else 200)


def _exemption_for(user, pk) -> Exemption:
    exemption = (
        Exemption.objects.filter(pk=pk, org__in=orgs_visible_to(user, "orglife.configure"))
        .select_related("org")
        .first()
    )
    if exemption is None:
        raise Http404
    return exemption


# --- art. 9 standing ----------------------------------------------------------------------------------------------


@require_perm("orglife.manage")
def standing(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    level = level if level in ("alert", "flag") else ""
    rows = selectors.standing_list(user=request.user, today=timezone.localdate(), level=level)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "orglife/standing.html",
        {"page": page, "level": level, "alert": selectors.ALERT_MONTHS, "flag": selectors.FLAG_MONTHS},
    )


def member_page_standing(request, member) -> str:
    """The members app's MEMBER_PAGE_EXTRAS hook: the member's art. 9 standing and its last meetings."""
    if not request.user.has_role_perm("orglife.view"):
        return ""
    today = timezone.localdate()
    ctx = {
        "s": selectors.member_standing(member, today),
        "alert": selectors.ALERT_MONTHS,
        "flag": selectors.FLAG_MONTHS,
        "recent": member.meeting_attendance.filter(meeting__status__in=["submitted", "approved"])
        .select_related("meeting")
        .order_by("-held_on")[:5],
    }
    return render_to_string("orglife/member_standing.html", ctx, request=request)


# --- the monthly guide ----------------------------------------------------------------------------------------------


def _posted_version(raw) -> int | None:
    """The version a form was rendered with (0 and up); None when absent."""
    text = str(raw or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise DomainError(_("该指南已被他人修改，请刷新后重试。"), field="version", code="stale")
    return int(text)


def _guide_or_404(user, pk) -> MonthlyGuide:
    guide = selectors.guides_visible_to(user).filter(pk=pk).prefetch_related("topics").first()
    if guide is None:
        raise Http404
    return guide


@require_perm("orglife.view")
def guide_list(request: HttpRequest) -> HttpResponse:
    guides = selectors.guides_visible_to(request.user).order_by("-month")
    page = Paginator(guides, 24).get_page(request.GET.get("page"))
    today = timezone.localdate()
    ctx = {
        "page": page,
        "current": selectors.current_guide(today),
        "can_configure": request.user.has_role_perm("orglife.configure"),
    }
    return render(request, "orglife/guide_list.html", ctx)


@require_perm("orglife.view")
def guide_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide_or_404(request.user, pk)
    outstanding, org = None, None
    if guide.published and request.user.has_role_perm("orglife.compliance"):
        org = selectors.default_org(request.user)
        if org is not None:
            outstanding = selectors.guide_outstanding(guide, user=request.user, org=org)
    ctx = {
        "g": guide,
        "topics": selectors.guide_topics(guide),
        "materials": selectors.guide_materials(guide),
        "outstanding": outstanding,
        "outstanding_org": org,
        "can_configure": request.user.has_role_perm("orglife.configure"),
        "can_record": request.user.has_role_perm(MANAGE),
        "today": timezone.localdate(),
    }
    return render(request, "orglife/guide_detail.html", ctx)


def _guide_form_view(request, guide=None):
    if guide is not None:
        initial = {
            "month": f"{guide.month:%Y-%m}",
            "title": guide.title,
            "deadline": guide.deadline,
            "summary": guide.summary,
            "materials": guide.materials,
        }
        for kind, _label, topics in selectors.guide_topics(guide):
            initial[f"topics_{kind}"] = "\n".join(t.title for t in topics)
    else:
        month = add_months(month_start(timezone.localdate()), 1)
        initial = {"month": f"{month:%Y-%m}", "deadline": month.replace(day=25)}
    form = GuideForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = _posted_version(request.POST.get("version"))
            saved = services.guide_save(
                actor=request.user,
                guide=guide,
                version=version,
                month=d["month"],
                title=d["title"],
                deadline=d["deadline"],
                summary=d["summary"],
                materials=d["materials"],
                topics=form.topics(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc.message if exc.field not in form.fields else ""
        else:
            messages.success(request, _("组织生活指南已保存。"))
            return redirect("orglife:guide", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "orglife/guide_form.html", {"form": form, "g": guide, "error": error}, status=status)


@require_perm("orglife.configure")
def guide_new(request: HttpRequest) -> HttpResponse:
    return _guide_form_view(request)


@require_perm("orglife.configure")
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _guide_form_view(request, _guide_or_404(request.user, pk))


@require_POST
@require_perm("orglife.configure")
def guide_publish(request: HttpRequest, pk: int) -> HttpResponse:
    guide = _guide_or_404(request.user, pk)
    try:
        version = _posted_version(request.POST.get("version"))
        services.guide_publish(actor=request.user, guide=guide, version=version)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("组织生活指南已发布，各支部书记已收到通知。"))
    return redirect("orglife:guide", pk=guide.pk)


# --- members absent from their last three meetings ------------------------------------------------------------------


@require_perm("orglife.manage")
def absent(request: HttpRequest) -> HttpResponse:
    since = timezone.localdate() - timedelta(days=365)
    rows = selectors.absent_in_a_row(user=request.user, since=since)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "orglife/absent.html", {"page": page, "n": selectors.IN_A_ROW, "since": since})
