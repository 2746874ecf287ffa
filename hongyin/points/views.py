"""Pages of the points ledger: a member's own points, the rankings (which the zone can switch off), the zone's rule
versions and switch, a secretary's manual adjustment to another member."""

import json
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hongyin.common.errors import DomainError
from hongyin.common.permissions import (
    ScopeFields,
    covers_whole_zone,
    get_in_scope,
    get_or_404,
    require_perm,
    scope_queryset,
)
from hongyin.common.posted import posted_id
from hongyin.members.models import Member
from hongyin.members.permissions import MEMBER_SCOPE
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import RULE_ACTIONS, Action, Adjustment, PointsSettings

MIN_YEAR = 2000
ADJUSTMENT_SCOPE = ScopeFields(org="member__org")


def year_param(request: HttpRequest) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and len(raw) == 4 and MIN_YEAR <= int(raw) <= today.year + 1:
        return int(raw)
    return today.year


def _years(current: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({*range(this - 4, this + 1), current}, reverse=True)


def month_chart(points) -> str:
    option = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 30, "top": 20},
        "xAxis": {"type": "category", "data": [_("%(m)d月") % {"m": m} for m, _p in points.by_month]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": pgettext("app", "积分"), "type": "bar", "data": [p for _m, p in points.by_month]}],
    }
    return json.dumps(option, ensure_ascii=False)


@require_perm("points.view")
def mine(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    member = selectors.own_member(request.user)
    points = selectors.own_points(member, year) if member is not None else None
    ctx = {
        "member": member,
        "p": points,
        "year": year,
        "years": _years(year),
        "chart_json": month_chart(points) if points else "",
    }
    return render(request, "points/mine.html", ctx)


@require_perm("points.rank")
def ranking(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    enabled = selectors.rankings_enabled()
    orgs = selectors.rank_orgs(request.user) if enabled else []
    org = None
    if enabled:
        raw = request.GET.get("org", "")
        if raw:
            org = get_org_for_user_or_404(request.user, raw if raw.isdigit() else -1, selectors.RANK)
        else:
            org = selectors.default_rank_org(request.user)
    ctx = {"enabled": enabled, "org": org, "orgs": orgs, "year": year, "years": _years(year), "rows": []}
    if enabled and org is not None:
        if selectors.is_branch(org):
            ctx["rows"] = selectors.branch_ranking(org, year)
            ctx["branch"] = True
        else:
            ctx["rows"] = selectors.subtree_ranking(org, year)
            ctx["averages"] = selectors.branch_averages(org, year, limit=50)
    ctx["can_configure"] = covers_whole_zone(request.user, services.CONFIGURE)
    ctx["can_adjust"] = request.user.has_role_perm(services.ADJUST)
    return render(request, "points/ranking.html", ctx)


def _posted_rules(post) -> dict:
    return {
        a.value: {
            "points": post.get(f"{a.value}_points", ""),
            "daily_cap": post.get(f"{a.value}_daily_cap", ""),
            "multiplier": post.get(f"{a.value}_multiplier", ""),
            "min_dwell_seconds": post.get(f"{a.value}_min_dwell_seconds", ""),
        }
        for a in RULE_ACTIONS
        if post.get(f"{a.value}_points", "").strip() != ""
    }


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_("请填写正确的生效日期。"), field="effective_from") from None


@require_perm("points.configure")
def rules(request: HttpRequest) -> HttpResponse:
    if not covers_whole_zone(request.user, services.CONFIGURE):
        raise Http404
    today = timezone.localdate()
    error, posted = "", None
    if request.method == "POST":
        try:
            form = request.POST.get("form")
            if form == "ruleset":
                posted = request.POST
                rs = services.ruleset_create(
                    actor=request.user,
                    effective_from=_parse_date(request.POST.get("effective_from", "")),
                    rules=_posted_rules(request.POST),
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request, _("积分规则第 %(v)d 版已发布，%(d)s 起生效。") % {"v": rs.version, "d": rs.effective_from}
                )
            elif form == "settings":
                services.settings_update(
                    actor=request.user,
                    rankings_enabled=request.POST.get("rankings_enabled") == "on",
                    version=request.POST.get("version", ""),
                )
                messages.success(request, _("积分设置已保存。"))
            else:
                raise Http404
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("points:rules")
    current = selectors.current_ruleset(today)
    rows = selectors.rule_rows(current)
    ctx = {
        "current": current,
        "rows": rows,
        "rulesets": selectors.rulesets(),
        "settings": PointsSettings.current(),
        "error": error,
        "posted": posted,
        "today": today,
        "default_from": posted.get("effective_from") if posted else today.isoformat(),
        "study": Action.STUDY_FINISH.value,
    }
    return render(request, "points/rules.html", ctx, status=422 if error else 200)


def adjust_members(user):
    return (
        scope_queryset(user, Member.objects.filter(left_on__isnull=True), services.ADJUST, MEMBER_SCOPE)
        .exclude(user=user)
        .select_related("org")
        .only("id", "name", "org__name")
        .order_by("org__path", "name")
    )


@require_perm("points.adjust")
def adjust(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            pk = posted_id(request.POST.get("member"), _("党员"), field="member")
            member = get_or_404(
                lambda: get_in_scope(
                    request.user, Member.objects.filter(left_on__isnull=True), services.ADJUST, MEMBER_SCOPE, pk=pk
                )
            )
            services.adjustment_grant(
                actor=request.user,
                member=member,
                points=request.POST.get("points", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("已为 %(n)s 调整积分。") % {"n": member.name})
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("points:adjust")
    members = adjust_members(request.user)
    recent = scope_queryset(
        request.user,
        Adjustment.objects.select_related("member", "granted_by"),
        services.ADJUST,
        ADJUSTMENT_SCOPE,
    ).order_by("-granted_at")[:50]
    ctx = {"members": members[:1000], "recent": recent, "error": error, "posted": request.POST if error else None}
    return render(request, "points/adjust.html", ctx, status=422 if error else 200)
