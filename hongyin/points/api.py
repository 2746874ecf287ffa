"""API of the points ledger: a member's own points, the rankings (when the zone has them on), the rule versions,
a new version and the switch (the zone), a manual adjustment (a secretary, to another member). Same services and
scoping as the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.common.errors import DomainError
from hongyin.common.permissions import covers_whole_zone, get_for_user_or_404
from hongyin.members.models import Member
from hongyin.members.permissions import MEMBER_SCOPE
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import PointsSettings

router = Router(tags=["points"])
ROUTERS = {"/points": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class EntryOut(Schema):
    id: int
    action: str
    action_label: str
    occurred_at: datetime
    day: date
    quantity: Decimal
    points: int
    rule_version: int | None


class MineOut(Schema):
    member_id: int | None
    year: int
    total: int
    by_month: list[int]
    years: dict[str, int]
    entries: list[EntryOut]


class RankRow(Schema):
    rank: int
    member_id: int
    member_name: str
    org_name: str
    points: int


class RankingOut(Schema):
    enabled: bool
    org_id: int | None
    year: int
    rows: list[RankRow]


class RuleIO(Schema):
    action: str
    points: int
    daily_cap: int | None = None
    multiplier: Decimal = Decimal(1)
    min_dwell_seconds: int | None = None


class PointsRuleIn(RuleIO):
    """The multiplier as the decimal string to send (0.1 to 10, two places at most)."""

    multiplier: str = Field("1", pattern=r"^\d{1,2}(?:\.\d{1,2})?$", examples=["1.5"])


class RuleSetOut(Schema):
    id: int
    version: int
    effective_from: date
    note: str
    rules: list[RuleIO]


class RuleSetIn(Schema):
    effective_from: date
    note: str = Field("", max_length=200)
    rules: list[PointsRuleIn]


class SettingsIO(Schema):
    rankings_enabled: bool
    version: int


class AdjustmentIn(Schema):
    member_id: int
    points: int
    reason: str = Field(max_length=200)


def _year(year: int | None) -> int:
    this = timezone.localdate().year
    if year is None:
        return this
    if not 2000 <= year <= this + 1:
        raise DomainError(_("年度无效。"), field="year")
    return year


def _entry(e) -> dict:
    return {
        "id": e.pk,
        "action": e.action,
        "action_label": str(e.get_action_display()),
        "occurred_at": e.occurred_at,
        "day": e.day,
        "quantity": e.quantity,
        "points": e.points,
        "rule_version": e.rule_version,
    }


@router.get("/mine", response={200: MineOut, **ERRORS}, summary="The signed-in member's own points of a year")
@api_perm("points.view")
def mine(request, year: int | None = None):
    year = _year(year)
    member = selectors.own_member(request.auth)
    if member is None:
        return {"member_id": None, "year": year, "total": 0, "by_month": [0] * 12, "years": {}, "entries": []}
    p = selectors.own_points(member, year)
    return {
        "member_id": member.pk,
        "year": year,
        "total": p.total,
        "by_month": [pts for _m, pts in p.by_month],
        "years": {str(y): pts for y, pts in p.years},
        "entries": [_entry(e) for e in p.entries],
    }


@router.get("/ranking", response={200: RankingOut, **ERRORS}, summary="A branch's or committee's ranking of a year")
@api_perm("points.rank")
def ranking(request, org_id: int | None = None, year: int | None = None):
    year = _year(year)
    if not selectors.rankings_enabled():
        return {"enabled": False, "org_id": None, "year": year, "rows": []}
    org = (
        get_org_for_user_or_404(request.auth, org_id, selectors.RANK)
        if org_id is not None
        else selectors.default_rank_org(request.auth)
    )
    if org is None:
        raise Http404
    rows = selectors.branch_ranking(org, year) if selectors.is_branch(org) else selectors.subtree_ranking(org, year)
    return {
        "enabled": True,
        "org_id": org.pk,
        "year": year,
        "rows": [
            {
                "rank": i,
                "member_id": t.member_id,
                "member_name": t.member.name,
                "org_name": org.name if selectors.is_branch(org) else t.member.org.name,
                "points": t.points,
            }
            for i, t in enumerate(rows, 1)
        ],
    }


def _ruleset(rs) -> dict:
    return {
        "id": rs.pk,
        "version": rs.version,
        "effective_from": rs.effective_from,
        "note": rs.note,
        "rules": [
            {
                "action": r.action,
                "points": r.points,
                "daily_cap": r.daily_cap,
                "multiplier": r.multiplier,
                "min_dwell_seconds": r.min_dwell_seconds,
            }
            for r in rs.rules.all()
        ],
    }


@router.get("/rules", response={200: list[RuleSetOut], **ERRORS}, summary="The rule versions, newest first")
@api_perm("points.configure")
def rule_list(request):
    if not covers_whole_zone(request.auth, services.CONFIGURE):
        raise Http404
    return [_ruleset(rs) for rs in selectors.rulesets()]


@router.post("/rules", response={201: RuleSetOut, **ERRORS}, summary="Publish a new version of the rules")
@api_perm("points.configure")
def rule_create(request, payload: RuleSetIn):
    rules = {
        r.action: {
            "points": r.points,
            "daily_cap": r.daily_cap,
            "multiplier": r.multiplier,
            "min_dwell_seconds": r.min_dwell_seconds,
        }
        for r in payload.rules
    }
    rs = services.ruleset_create(
        actor=request.auth, effective_from=payload.effective_from, rules=rules, note=payload.note
    )
    return 201, _ruleset(rs)


@router.get("/settings", response={200: SettingsIO, **ERRORS}, summary="The rankings switch")
@api_perm("points.configure")
def settings_get(request):
    s = PointsSettings.current()
    return {"rankings_enabled": s.rankings_enabled, "version": s.version}


@router.put("/settings", response={200: SettingsIO, **ERRORS}, summary="Switch the rankings on or off")
@api_perm("points.configure")
def settings_put(request, payload: SettingsIO):
    s = services.settings_update(actor=request.auth, rankings_enabled=payload.rankings_enabled, version=payload.version)
    return {"rankings_enabled": s.rankings_enabled, "version": s.version}


@router.post("/adjustments", response={201: EntryOut, **ERRORS}, summary="A manual adjustment to another member")
@api_perm("points.adjust")
def adjustment_create(request, payload: AdjustmentIn):
    member = get_for_user_or_404(
        request.auth, Member.objects.filter(left_on__isnull=True), services.ADJUST, MEMBER_SCOPE, pk=payload.member_id
    )
    e = services.adjustment_grant(actor=request.auth, member=member, points=payload.points, reason=payload.reason)
    return 201, _entry(e)
