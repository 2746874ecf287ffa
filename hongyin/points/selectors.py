"""Reads of the points ledger: a member's own ledger and totals per period, the rankings (read from the year totals,
never the whole ledger), the rule versions."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Sum

from hongyin.members.models import Member
from hongyin.members.selectors import own_member_record
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import orgs_visible_to

from .models import RULE_ACTIONS, Action, MemberYearTotal, PointEntry, PointsSettings, Rule, RuleSet

RANK = "points.rank"


def own_member(user) -> Member | None:
    return own_member_record(user)


def rankings_enabled() -> bool:
    return PointsSettings.current().rankings_enabled


@dataclass
class OwnPoints:
    member: Member
    year: int
    total: int
    entries: list
    by_month: list[tuple[int, int]]  # (month, points)
    by_action: list[tuple[str, int]]  # (label, points)
    years: list[tuple[int, int]]  # (year, points), newest first


def own_points(member: Member, year: int, *, limit: int = 200) -> OwnPoints:
    """A member's ledger of one year (newest first) and the totals per month, per action and per year."""
    totals = list(MemberYearTotal.objects.filter(member=member).order_by("-year").values_list("year", "points"))
    per = defaultdict(int)
    months = defaultdict(int)
    for day, action, points in PointEntry.objects.filter(member=member, year=year).values_list(
        "day", "action", "points"
    ):
        per[action] += points
        months[day.month] += points
    labels = dict(Action.choices)
    return OwnPoints(
        member=member,
        year=year,
        total=dict(totals).get(year, 0),
        entries=list(PointEntry.objects.filter(member=member, year=year).order_by("-occurred_at", "-id")[:limit]),
        by_month=[(m, months.get(m, 0)) for m in range(1, 13)],
        by_action=[(labels[a], per[a]) for a in Action.values if per.get(a)],
        years=totals,
    )


def rank_orgs(user) -> list[Organization]:
    """The organizations whose rankings the user may open: committees and branches of its scope, highest first."""
    return list(
        orgs_visible_to(user, RANK)
        .filter(dissolved_on__isnull=True)
        .exclude(kind="group")
        .order_by("depth", "path")
        .only("id", "name", "kind", "path", "depth")[:2000]
    )


def default_rank_org(user) -> Organization | None:
    return orgs_visible_to(user, RANK).filter(dissolved_on__isnull=True).order_by("depth", "path").first()


def branch_ranking(branch: Organization, year: int, *, limit: int = 500) -> list[MemberYearTotal]:
    """The members of a branch (now) by their points in the year, highest first: the branch's member ids first,
    so the totals are read by their (member, year) key rather than by scanning the year."""
    ids = list(Member.objects.filter(org=branch, left_on__isnull=True).values_list("id", flat=True)[:5000])
    return list(
        MemberYearTotal.objects.filter(year=year, member_id__in=ids)
        .select_related("member")
        .only("points", "entries", "year", "member__name", "member__org_id")
        .order_by("-points", "member_id")[:limit]
    )


def subtree_ranking(org: Organization, year: int, *, limit: int = 100) -> list[MemberYearTotal]:
    """The top members of a committee's (or the zone's) subtree in the year, highest first."""
    qs = MemberYearTotal.objects.filter(year=year, member__left_on__isnull=True)
    if org.depth > 1:  # below the root: the subtree (the root is the whole zone)
        qs = qs.filter(member__org__path__startswith=org.path)
    return list(
        qs.select_related("member", "member__org")
        .only("points", "entries", "year", "member__name", "member__org__name")
        .order_by("-points", "member_id")[:limit]
    )


def branch_averages(org: Organization, year: int, *, limit: int = 200) -> list[dict]:
    """Per branch of the subtree: members with points, the total and the average, by average."""
    rows = (
        MemberYearTotal.objects.filter(year=year, member__left_on__isnull=True, member__org__path__startswith=org.path)
        .values("member__org_id", "member__org__name")
        .annotate(members=Count("id"), total=Sum("points"), average=Avg("points"))
        .order_by("-average")[:limit]
    )
    return [
        {
            "org_id": r["member__org_id"],
            "name": r["member__org__name"],
            "members": r["members"],
            "total": r["total"],
            "average": round(r["average"] or 0, 1),
        }
        for r in rows
    ]


def is_branch(org: Organization) -> bool:
    return org.kind in BRANCH_KINDS


def current_ruleset(day) -> RuleSet | None:
    return RuleSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def ruleset_rules(ruleset: RuleSet | None) -> dict[str, Rule]:
    if ruleset is None:
        return {}
    return {r.action: r for r in ruleset.rules.all()}


def rule_rows(ruleset: RuleSet | None) -> list[tuple[str, str, Rule | None]]:
    rules = ruleset_rules(ruleset)
    return [(a.value, a.label, rules.get(a.value)) for a in RULE_ACTIONS]


def rulesets() -> list[RuleSet]:
    return list(RuleSet.objects.prefetch_related("rules").order_by("-effective_from")[:50])
