"""Pages of activities: the list, publish and edit, the detail (sign up, cancel, the organizer's attendance of its
own members, summary and photos), the organizer's check-in QR, the page the QR opens on a phone (check in and
check out), and the member's volunteer-hours ledger."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common import checkin
from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.roles import roles_with
from hongyin.common.scopes import ScopeKind
from hongyin.common.uploads import attachment_response
from hongyin.members.selectors import own_member_record
from hongyin.orgs.models import Organization

from . import selectors, services
from .forms import ActionForm, ActivityForm, SummaryForm, add_domain_error
from .models import ActivityKind, ActivityStatus, SignupStatus
from .permissions import MANAGE, can_edit, can_organize, get_activity_for_user_or_404, publish_orgs

FIELDS = ("kind", "title", "place", "starts_at", "ends_at", "signup_deadline", "capacity", "description")


# --- the list -------------------------------------------------------------------------------------------------------


@require_perm("activities.view")
def activity_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when") if request.GET.get("when") in selectors.WHEN else "upcoming"
    kind = request.GET.get("kind") if request.GET.get("kind") in ActivityKind.values else ""
    mine = request.GET.get("mine") == "1"
    member = own_member_record(request.user)
    filters = selectors.ActivityFilter(kind=kind, when=when, mine=mine)
    page = Paginator(selectors.activity_list(user=request.user, filters=filters, member=member), 20).get_page(
        request.GET.get("page")
    )
    own = selectors.own_signups(member, [a.pk for a in page])
    rows = [(a, own.get(a.pk)) for a in page]
    ctx = {
        "page": page,
        "rows": rows,
        "f": filters,
        "kinds": ActivityKind.choices,
        "can_publish": request.user.has_role_perm(MANAGE),
        "member": member,
        "query": f"when={when}&kind={kind}&mine={'1' if mine else ''}",
    }
    return render(request, "activities/list.html", ctx)


# --- publish and edit -----------------------------------------------------------------------------------------------


def _partner_orgs(user) -> list[Organization]:
    """Organizations the user may name as co-organizers: its own scope and those under the committee above it (a
    branch's neighbours; never the whole zone through a committee whose parent is the zone's root)."""
    allowed = roles_with(MANAGE)
    q = Q(pk__in=publish_orgs(user).values("pk"))
    for a in user.assignments:
        if a.role in allowed and a.scope_kind == ScopeKind.ORG and a.org_id and a.org.depth > 2:
            q |= Q(path__startswith=a.org.path[: -Organization.steplen])
    return list(Organization.objects.filter(q, dissolved_on__isnull=True).order_by("path")[:400])


def _form_view(request, activity=None):
    orgs = list(publish_orgs(request.user).order_by("path")[:500])
    partners = _partner_orgs(request.user)
    if activity is not None:
        initial = {name: getattr(activity, name) for name in FIELDS}
        for name in ("starts_at", "ends_at", "signup_deadline"):
            initial[name] = timezone.localtime(initial[name])
        initial["org"] = activity.org_id
        initial["co_orgs"] = list(activity.organizers.filter(host=False).values_list("org_id", flat=True))
        known = {o.pk for o in partners}
        partners += list(Organization.objects.filter(pk__in=initial["co_orgs"]).exclude(pk__in=known))
        if activity.org not in orgs:
            orgs.insert(0, activity.org)
    else:
        initial = {"org": orgs[0].pk if len(orgs) == 1 else None, "kind": ActivityKind.VOLUNTEER, "capacity": 30}
    form = ActivityForm(request.POST or None, orgs=orgs, partners=partners, edit=activity is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {o.pk: o for o in [*orgs, *partners]}
        co_orgs = [by_pk[pk] for pk in data["co_orgs"] if pk in by_pk]
        fields = {name: data[name] for name in FIELDS}
        try:
            if activity is None:
                org = by_pk.get(data["org"])
                if org is None or org not in orgs:
                    raise Http404
                saved = services.activity_publish(actor=request.user, org=org, co_orgs=co_orgs, **fields)
                messages.success(request, _("活动已发布。"))
            else:
                saved = services.activity_update(
                    actor=request.user,
                    activity=activity,
                    version=request.POST.get("version") or None,
                    co_orgs=co_orgs,
                    **fields,
                )
                messages.success(request, _("活动已保存。"))
        except (DomainError, ValueError) as exc:
            add_domain_error(form, exc if isinstance(exc, DomainError) else DomainError(_("请检查填写的内容。")))
        else:
            return redirect("activities:detail", pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "activities/form.html", {"form": form, "activity": activity}, status=status)


@require_perm("activities.manage")
def activity_new(request: HttpRequest) -> HttpResponse:
    return _form_view(request)


@require_perm("activities.manage")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user_or_404(request.user, pk)
    if not can_edit(request.user, activity):
        raise Http404
    if activity.status != ActivityStatus.PUBLISHED or timezone.now() >= activity.ends_at:
        messages.error(request, _("活动已取消或已结束，不能修改。"))
        return redirect("activities:detail", pk=activity.pk)
    return _form_view(request, activity)


# --- the detail -----------------------------------------------------------------------------------------------------


def _detail_ctx(request, activity, *, action_form=None, summary_form=None, error=""):
    member = own_member_record(request.user)
    organizing = can_organize(request.user, activity)
    rows = list(selectors.attendance(request.user, activity)) if organizing else []
    return {
        "a": activity,
        "organizers": activity.organizers.select_related("org"),
        "mine": selectors.own_signups(member, [activity.pk]).get(activity.pk),
        "member": member,
        "now": timezone.now(),
        "checkin_open": activity.status == ActivityStatus.PUBLISHED
        and timezone.now() <= activity.ends_at + services.CHECKOUT_CLOSES,
        "organizing": organizing,
        "editing": can_edit(request.user, activity),
        "rows": rows,
        "figures": selectors.attendance_figures(rows),
        "photos": activity.photos.select_related("attachment"),
        "action_form": action_form or ActionForm(),
        "summary_form": summary_form or SummaryForm(initial={"summary": activity.summary}),
        "error": error,
        "Signup": SignupStatus,
    }


@require_perm("activities.view")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user_or_404(request.user, pk)
    return render(request, "activities/detail.html", _detail_ctx(request, activity))


@require_POST
@require_perm("activities.view")
def activity_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    activity = get_activity_for_user_or_404(request.user, pk)
    user = request.user
    version = request.POST.get("version") or None
    action_form, summary_form = ActionForm(request.POST), SummaryForm(request.POST)
    try:
        if action == "signup":
            s = services.signup_join(actor=user, activity=activity)
            done = _("报名成功。") if s.status == SignupStatus.SIGNED_UP else _("名额已满，您已进入候补名单。")
        elif action == "withdraw":
            services.signup_cancel(actor=user, activity=activity)
            done = _("已取消报名。")
        elif action == "cancel" and can_edit(user, activity):
            action_form.is_valid()
            reason = action_form.cleaned_data.get("reason", "") if action_form.is_valid() else ""
            services.activity_cancel(actor=user, activity=activity, reason=reason, version=version)
            done = _("活动已取消。")
        elif action == "summary" and can_edit(user, activity):
            text = summary_form.cleaned_data["summary"] if summary_form.is_valid() else ""
            services.activity_summarize(actor=user, activity=activity, summary=text, version=version)
            done = _("活动总结已保存。")
        else:
            raise Http404
    except DomainError as exc:
        activity.refresh_from_db()
        ctx = _detail_ctx(request, activity, action_form=action_form, summary_form=summary_form, error=exc.message)
        return render(request, "activities/detail.html", ctx, status=422)
    messages.success(request, done)
    return redirect("activities:detail", pk=activity.pk)


@require_POST
@require_perm("activities.manage")
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user_or_404(request.user, pk)
    if not can_edit(request.user, activity):
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("请选择要上传的照片。"), field="file")
        services.activity_add_photo(actor=request.user, activity=activity, upload=upload)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("照片已上传。"))
    return redirect("activities:detail", pk=activity.pk)


@require_perm("activities.view")
def photo_download(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    activity = get_activity_for_user_or_404(request.user, pk)
    photo = activity.photos.select_related("attachment").filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return attachment_response(photo.attachment)


# --- check-in -------------------------------------------------------------------------------------------------------


@require_perm("activities.manage")
def activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The organizer's screen at the place: a QR of the check-in URL with a code valid for 15 minutes (the page
    renews it every 5 minutes)."""
    activity = get_activity_for_user_or_404(request.user, pk)
    if not can_organize(request.user, activity):
        raise Http404
    if activity.status != ActivityStatus.PUBLISHED:
        messages.error(request, _("该活动已取消。"))
        return redirect("activities:detail", pk=activity.pk)
    if timezone.now() > activity.ends_at + services.CHECKOUT_CLOSES:
        messages.error(request, _("活动已结束，不再需要签到二维码。"))
        return redirect("activities:detail", pk=activity.pk)
    code, until = services.checkin_code(activity)
    url = request.build_absolute_uri(reverse("activities:checkin", args=[activity.pk]) + "?c=" + code)
    ctx = {"a": activity, "svg": checkin.qr_svg(url, responsive=True), "url": url, "until": until}
    return render(request, "activities/qr.html", ctx)


@require_perm("activities.view")
def activity_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The page the QR opens on the member's phone: confirm to check in (POST); a volunteer checks out here too."""
    activity = get_activity_for_user_or_404(request.user, pk)
    code = (request.POST.get("c") or request.GET.get("c") or "").strip()
    error, status, code_ok = "", 200, True
    try:
        services.verify(activity, code)
    except DomainError as exc:
        error, status, code_ok = exc.message, 422, False
    if request.method == "POST" and code_ok:
        try:
            if request.POST.get("step") == "checkout":
                s = services.check_out(actor=request.user, activity=activity, code=code)
                messages.success(request, _("签退成功，本次志愿服务 %(h)s 小时。") % {"h": s.hours})
                return redirect("activities:hours")
            services.check_in(actor=request.user, activity=activity, code=code)
            messages.success(request, _("签到成功。"))
            return redirect(reverse("activities:checkin", args=[activity.pk]) + "?c=" + code)
        except DomainError as exc:
            error, status = exc.message, 422
    member = own_member_record(request.user)
    ctx = {
        "a": activity,
        "code": code if code_ok else "",
        "mine": selectors.own_signups(member, [activity.pk]).get(activity.pk),
        "error": error,
    }
    return render(request, "activities/checkin.html", ctx, status=status)


# --- volunteer hours ------------------------------------------------------------------------------------------------


@require_perm("activities.view")
def hours(request: HttpRequest) -> HttpResponse:
    member = own_member_record(request.user)
    year = timezone.localdate().year
    page = Paginator(selectors.volunteer_ledger(member), 30).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "member": member,
        "total": selectors.volunteer_total(member),
        "this_year": selectors.volunteer_total(member, year=year),
        "year": year,
    }
    return render(request, "activities/hours.html", ctx)
