"""Pages of roadshows and one-stop services: the event list, the event form and page (presenting projects, invited
institutions, sign-ups and attendance, the QR check-in, outcomes followed afterwards), the figures per event and
per committee, the follow-ups; the service catalogue, requesting a service or a package, the requests' states."""

import json
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.appeals.permissions import enterprises_in_scope
from hongyin.common.checkin import qr_svg
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import require_perm
from hongyin.directory.models import Department, FinancialInstitution
from hongyin.enterprises.models import ChainMembership, Enterprise

from . import selectors, services
from .forms import (
    EventForm,
    InvitationForm,
    OutcomeActionForm,
    OutcomeForm,
    PresentationForm,
    RegistrationForm,
    RequestForm,
    add_domain_error,
    first_error,
)
from .models import EventKind, EventStatus, OutcomeStage
from .permissions import (
    MANAGE,
    REQUEST,
    can_manage,
    get_event_for_user_or_404,
    get_outcome_for_user_or_404,
    get_package_request_for_user_or_404,
    offerings_visible_to,
    organizer_choices,
    packages_visible_to,
)

ENTERPRISE_CHOICES = 500


# --- events ---------------------------------------------------------------------------------------------------------


@require_perm("roadshows.view")
def event_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    f = selectors.EventFilter(
        kind=kind if kind in EventKind.values else "", status=status if status in EventStatus.values else ""
    )
    page = Paginator(selectors.event_list(user=request.user, filters=f), 30).get_page(request.GET.get("page"))
    figures = selectors.figures_by_event([e.pk for e in page])
    ctx = {
        "page": page,
        "rows": [(e, figures[e.pk]) for e in page],
        "f": f,
        "kinds": EventKind.choices,
        "statuses": EventStatus.choices,
        "can_manage": request.user.has_role_perm(MANAGE),
    }
    return render(request, "roadshows/list.html", ctx)


def _event_form_view(request, event=None):
    orgs = list(organizer_choices(request.user).order_by("path")[:200])
    if event is not None:
        initial = {
            "title": event.title,
            "kind": event.kind,
            "held_on": event.held_on,
            "place": event.place,
            "description": event.description,
            "organizers": [o.pk for o in event.organizers.all()],
        }
    else:
        initial = {"kind": EventKind.ROADSHOW, "organizers": [orgs[0].pk] if len(orgs) == 1 else []}
    form = EventForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = [o for o in orgs if o.pk in set(d["organizers"])]
        fields = {k: d[k] for k in ("title", "kind", "held_on", "place", "description")}
        try:
            if event is None:
                chain = next((c for o in chosen for c in o.committee_chains.all()), None)
                saved = services.event_create(actor=request.user, organizers=chosen, chain=chain, **fields)
            else:
                saved = services.event_update(
                    actor=request.user, event=event, version=request.POST.get("version"), organizers=chosen, **fields
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("活动已保存。"))
            return redirect("roadshows:detail", pk=saved.pk)
    code = 422 if request.method == "POST" else 200
    return render(request, "roadshows/form.html", {"form": form, "event": event}, status=code)


@require_perm("roadshows.manage")
def event_new(request: HttpRequest) -> HttpResponse:
    return _event_form_view(request)


@require_perm("roadshows.manage")
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user_or_404(request.user, pk)
    if not can_manage(request.user, event):
        raise Http404
    if event.status == EventStatus.CANCELLED:
        messages.error(request, _("活动已取消，不能再修改。"))
        return redirect("roadshows:detail", pk=event.pk)
    return _event_form_view(request, event)


def _enterprises_for(user, event):
    qs = enterprises_in_scope(user, "appeals.view")
    if event.chain_id:
        qs = qs.filter(pk__in=ChainMembership.objects.filter(node__chain_id=event.chain_id).values("enterprise_id"))
    return list(qs.order_by("name").only("pk", "name")[:ENTERPRISE_CHOICES])


def _departments():
    return list(Department.objects.filter(is_active=True).order_by("id"))


def _detail_ctx(request, event, forms=None, error=""):
    manage = can_manage(request.user, event)
    forms = forms or {}
    departments = []
    ctx = {
        "e": event,
        "manage": manage,
        "organizers": list(event.organizers.order_by("path")),
        "presentations": event.presentations.select_related("enterprise"),
        "invitations": event.invitations.select_related("institution"),
        "figures": selectors.figures_by_event([event.pk])[event.pk],
        "allowed": {t.action for t in services.EVENT_FLOW.actions_for(request.user, event)},
        "error": error,
        "stages": OutcomeStage,
    }
    if manage:
        enterprises = _enterprises_for(request.user, event)
        departments = _departments()
        institutions = list(FinancialInstitution.objects.filter(is_active=True).order_by("id"))
        ctx.update(
            registrations=event.registrations.select_related("enterprise"),
            presentation_form=forms.get("presentation") or PresentationForm(enterprises=enterprises),
            invitation_form=forms.get("invitation") or InvitationForm(institutions=institutions),
            registration_form=forms.get("registration") or RegistrationForm(initial={"kind": "enterprise"}),
            outcome_form=forms.get("outcome")
            or OutcomeForm(
                enterprises=enterprises,
                departments=departments,
                initial={
                    "occurred_on": min(timezone.localdate(), max(event.held_on, timezone.localdate())),
                    "follow_up_due": services.default_follow_up(timezone.localdate()),
                },
            ),
        )
    outcomes = list(selectors.outcome_list(user=request.user).filter(event=event))
    departments = departments if manage else []
    ctx["outcome_rows"] = [
        (o, OutcomeActionForm(departments=departments, auto_id=f"id_o{o.pk}_%s") if manage and o.is_open else None)
        for o in outcomes
    ]
    return ctx


@require_perm("roadshows.view")
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user_or_404(request.user, pk)
    return render(request, "roadshows/detail.html", _detail_ctx(request, event))


def _enterprise(user, raw):
    if raw in (None, ""):
        return None
    found = enterprises_in_scope(user, "appeals.view").filter(pk=raw).first()
    if found is None:
        raise DomainError(_("该企业不在您的服务范围内。"), field="enterprise")
    return found


def _department(raw):
    if raw in (None, ""):
        return None
    found = Department.objects.filter(pk=raw, is_active=True).first()
    if found is None:
        raise DomainError(_("请选择有效的跟进部门。"), field="department")
    return found


@require_POST
@require_perm("roadshows.manage")
def event_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    event = get_event_for_user_or_404(request.user, pk)
    if not can_manage(request.user, event) or part not in ("presentation", "invitation", "registration", "outcome"):
        raise Http404
    user = request.user
    if part == "presentation":
        form = PresentationForm(request.POST, enterprises=_enterprises_for(user, event))
    elif part == "invitation":
        form = InvitationForm(request.POST, institutions=FinancialInstitution.objects.filter(is_active=True))
    elif part == "registration":
        form = RegistrationForm(request.POST)
    else:
        form = OutcomeForm(request.POST, enterprises=_enterprises_for(user, event), departments=_departments())
    if form.is_valid():
        d = form.cleaned_data
        try:
            if part == "presentation":
                services.presentation_add(
                    actor=user,
                    event=event,
                    enterprise=_enterprise(user, d["enterprise"]),
                    project=d["project"],
                    financing_sought=d["financing_sought"],
                )
            elif part == "invitation":
                institution = (
                    FinancialInstitution.objects.filter(pk=d["institution"]).first() if d["institution"] else None
                )
                services.invitation_add(
                    actor=user, event=event, kind=d["kind"], institution=institution, name=d["name"]
                )
            elif part == "registration":
                services.registration_add(actor=user, event=event, name=d["name"], unit=d["unit"], kind=d["kind"])
            else:
                services.outcome_record(
                    actor=user,
                    event=event,
                    stage=d["stage"],
                    project=d["project"],
                    enterprise=_enterprise(user, d["enterprise"]),
                    occurred_on=d["occurred_on"],
                    amount=d["amount"],
                    department=_department(d["department"]),
                    follow_up_due=d["follow_up_due"],
                    note=d["note"],
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(reverse("roadshows:detail", args=[event.pk]) + f"#{part}s")
    event.refresh_from_db()
    ctx = _detail_ctx(request, event, {part: form}, error=first_error(form))
    return render(request, "roadshows/detail.html", ctx, status=422)


@require_POST
@require_perm("roadshows.manage")
def attend(request: HttpRequest, pk: int, reg_pk: int) -> HttpResponse:
    event = get_event_for_user_or_404(request.user, pk)
    if not can_manage(request.user, event):
        raise Http404
    reg = event.registrations.filter(pk=reg_pk).first()
    if reg is None:
        raise Http404
    try:
        services.registration_attend(actor=request.user, event=event, registration=reg)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s 已签到。") % {"n": reg.name})
    return redirect(reverse("roadshows:detail", args=[event.pk]) + "#registrations")


@require_POST
@require_perm("roadshows.manage")
def event_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    event = get_event_for_user_or_404(request.user, pk)
    if action not in ("hold", "cancel") or not can_manage(request.user, event):
        raise Http404
    try:
        if action == "hold":
            services.event_hold(actor=request.user, event=event, version=request.POST.get("version"))
        else:
            services.event_cancel(
                actor=request.user, event=event, version=request.POST.get("version"), reason=request.POST.get("reason")
            )
    except DomainError as exc:
        event.refresh_from_db()
        return render(request, "roadshows/detail.html", _detail_ctx(request, event, error=exc.message), status=422)
    messages.success(request, _("已%(a)s。") % {"a": services.EVENT_FLOW.label(action)})
    return redirect("roadshows:detail", pk=event.pk)


@require_perm("roadshows.manage")
def event_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in QR to show on the screen at the event: a signed code valid 15 minutes; the page reloads."""
    event = get_event_for_user_or_404(request.user, pk)
    if not can_manage(request.user, event) or event.status == EventStatus.CANCELLED:
        raise Http404
    code = services.checkin_code(event)
    url = request.build_absolute_uri(reverse("roadshows:checkin", args=[code]))
    ctx = {"e": event, "svg": qr_svg(url, responsive=True), "url": url, "refresh": 600}
    return render(request, "roadshows/qr.html", ctx)


@require_perm("roadshows.checkin")
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """The page a phone opens after scanning: confirm, then POST checks in. A bad code: a clear message (404)."""
    try:
        event = services.event_for_code(code)
    except (DomainError, NotFound) as exc:
        msg = getattr(exc, "message", "") or _("签到码无效：可能被伪造或篡改，请重新扫描现场的二维码。")
        return render(request, "roadshows/checkin.html", {"error": msg}, status=404)
    done = None
    error = ""
    if request.method == "POST":
        try:
            done = services.checkin_by_code(actor=request.user, code=code)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "roadshows/checkin.html",
        {"e": event, "done": done, "error": error, "code": code},
        status=422 if error else 200,
    )


# --- outcomes -------------------------------------------------------------------------------------------------------


@require_perm("roadshows.manage")
def outcomes(request: HttpRequest) -> HttpResponse:
    """The outcomes of the user's events; ?due=1 the follow-ups due within a week (the workbench's link)."""
    today = timezone.localdate()
    due = request.GET.get("due") == "1"
    stage = request.GET.get("stage", "")
    stage = stage if stage in OutcomeStage.values else ""
    if due:
        qs = selectors.follow_ups_due(user=request.user, today=today)
    else:
        qs = selectors.outcome_list(user=request.user, stage=stage)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "due": due,
        "stage": stage,
        "stages": OutcomeStage.choices,
        "today": today,
        "soon": today + timedelta(days=selectors.DUE_SOON_DAYS),
    }
    return render(request, "roadshows/outcomes.html", ctx)


OUTCOME_ACTIONS = ("follow_up", "agree", "land", "drop")


@require_POST
@require_perm("roadshows.manage")
def outcome_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    outcome = get_outcome_for_user_or_404(request.user, pk)
    if action not in OUTCOME_ACTIONS or not can_manage(request.user, outcome.event):
        raise Http404
    form = OutcomeActionForm(request.POST, departments=_departments())
    version = request.POST.get("version")
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "follow_up":
                services.outcome_follow_up(
                    actor=request.user, outcome=outcome, note=d["note"], next_due=d["follow_up_due"], version=version
                )
            elif action == "agree":
                services.outcome_agree(
                    actor=request.user,
                    outcome=outcome,
                    occurred_on=d["occurred_on"],
                    next_due=d["follow_up_due"],
                    amount=d["amount"],
                    note=d["note"],
                    version=version,
                )
            elif action == "land":
                services.outcome_land(
                    actor=request.user,
                    outcome=outcome,
                    occurred_on=d["occurred_on"],
                    amount=d["amount"],
                    department=_department(d["department"]),
                    note=d["note"],
                    version=version,
                )
            else:
                services.outcome_drop(actor=request.user, outcome=outcome, reason=d["note"], version=version)
        except DomainError as exc:
            error = exc.message
    else:
        error = first_error(form)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已%(a)s。") % {"a": services.OUTCOME_FLOW.label(action)})
    return redirect(reverse("roadshows:detail", args=[outcome.event_id]) + "#outcomes")


# --- figures --------------------------------------------------------------------------------------------------------


@require_perm("roadshows.manage")
def figures(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    rows, committees = selectors.figures_report(user=request.user, year=year)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "bottom": 70, "top": 40},
        "xAxis": {
            "type": "category",
            "data": [c.org.name for c in committees],
            "axisLabel": {"interval": 0, "rotate": 15},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": str(_("路演项目")), "type": "bar", "data": [c.figures.presentations for c in committees]},
            {"name": str(_("意向")), "type": "bar", "data": [c.figures.intentions for c in committees]},
            {"name": str(_("签约")), "type": "bar", "data": [c.figures.agreements for c in committees]},
            {"name": str(_("落地项目")), "type": "bar", "data": [c.figures.landed for c in committees]},
        ],
    }
    ctx = {
        "rows": rows,
        "committees": committees,
        "total": selectors.total(rows),
        "labels": selectors.FIGURE_LABELS,
        "year": year,
        "chart_json": json.dumps(chart, ensure_ascii=False),
    }
    return render(request, "roadshows/figures.html", ctx)


# --- one-stop services ----------------------------------------------------------------------------------------------


def _requesting_enterprises(user) -> list[Enterprise]:
    if not user.has_role_perm(REQUEST):
        return []
    return list(enterprises_in_scope(user, "appeals.submit").order_by("name").only("pk", "name")[:ENTERPRISE_CHOICES])


@require_perm("roadshows.services")
def services_page(request: HttpRequest) -> HttpResponse:
    offerings = offerings_visible_to(request.user).select_related("provider", "department", "institution", "category")
    packages = (
        packages_visible_to(request.user)
        .select_related("provider", "institution")
        .prefetch_related("package_parts__offering")
    )
    enterprises = _requesting_enterprises(request.user)
    ctx = {
        "offerings": offerings.order_by("provider__path", "order", "id"),
        "packages": packages,
        "form": RequestForm(enterprises=enterprises) if enterprises else None,
    }
    return render(request, "roadshows/services.html", ctx)


def _request_view(request, make):
    enterprises = _requesting_enterprises(request.user)
    if not enterprises:
        raise Http404
    form = RequestForm(request.POST, enterprises=enterprises)
    if form.is_valid():
        enterprise = next((e for e in enterprises if e.pk == form.cleaned_data["enterprise"]), None)
        try:
            made = make(enterprise, form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("roadshows:services")
        return made
    messages.error(request, first_error(form))
    return redirect("roadshows:services")


@require_POST
@require_perm("roadshows.request")
def service_request(request: HttpRequest, pk: int) -> HttpResponse:
    offering = offerings_visible_to(request.user).filter(pk=pk).select_related("category", "department").first()
    if offering is None:
        raise Http404

    def make(enterprise, note):
        req = services.service_request(actor=request.user, offering=offering, enterprise=enterprise, note=note)
        messages.success(
            request,
            _("服务申请已提交，诉求编号 %(n)s，已派至%(d)s办理。")
            % {"n": req.appeal.number, "d": offering.department.name},
        )
        return redirect("roadshows:requests")

    return _request_view(request, make)


@require_POST
@require_perm("roadshows.request")
def package_request(request: HttpRequest, pk: int) -> HttpResponse:
    package = packages_visible_to(request.user).filter(pk=pk).first()
    if package is None:
        raise Http404

    def make(enterprise, note):
        pr = services.package_request(actor=request.user, package=package, enterprise=enterprise, note=note)
        messages.success(
            request, _("服务包申请已提交，已按服务内容拆分为 %(n)d 项分别办理。") % {"n": pr.parts.count()}
        )
        return redirect("roadshows:package_request", pk=pr.pk)

    return _request_view(request, make)


@require_perm("roadshows.services")
def requests_page(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in ("open", "done") else ""
    singles = selectors.request_list(user=request.user, state=state).filter(package_request__isnull=True)
    page = Paginator(singles, 30).get_page(request.GET.get("page"))
    ctx = {"page": page, "state": state, "packages": selectors.package_requests_of(user=request.user)[:20]}
    return render(request, "roadshows/requests.html", ctx)


@require_perm("roadshows.services")
def package_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pr = get_package_request_for_user_or_404(request.user, pk)
    progress = selectors.package_progress(user=request.user, package_request=pr)
    return render(request, "roadshows/package_request.html", {"p": progress, "pr": pr})
