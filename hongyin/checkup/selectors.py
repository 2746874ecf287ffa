"""Reads of the party-spirit check-up: a member's own check-ups year by year, a branch's completion and average, the
radar chart (ECharts option) beside its table."""

import json
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from hongyin.common.permissions import ScopeFields, get_in_scope, scope_queryset
from hongyin.members.models import Member
from hongyin.members.selectors import own_member_record
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import orgs_visible_to

from .models import Checkup, CheckupStatus, Dimension, Item, Questionnaire

REVIEW = "checkup.review"
CHECKUP_SCOPE = ScopeFields(org="org")
DONE = (CheckupStatus.SUBMITTED, CheckupStatus.REVIEWED)


def own_member(user) -> Member | None:
    return own_member_record(user)


def with_items(qs):
    return qs.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.order_by("order")),
        Prefetch("dimensions__items", queryset=Item.objects.order_by("order")),
    )


def questionnaire(pk: int) -> Questionnaire:
    return with_items(Questionnaire.objects.filter(pk=pk)).get()


def current_questionnaire() -> Questionnaire | None:
    return with_items(Questionnaire.objects.order_by("-version")).first()


def own_checkups(member: Member) -> list[Checkup]:
    return list(Checkup.objects.filter(member=member).order_by("-year"))


def checkup_for_user(user, pk) -> Checkup:
    """A check-up in the reviewer's scope (its branch of that year), or NotFound."""
    return get_in_scope(
        user,
        Checkup.objects.exclude(status=CheckupStatus.DRAFT).select_related("member", "org", "questionnaire"),
        REVIEW,
        CHECKUP_SCOPE,
        pk=pk,
    )


def review_orgs(user) -> list[Organization]:
    return list(
        orgs_visible_to(user, REVIEW)
        .filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
        .order_by("path")
        .only("id", "name")[:2000]
    )


def average(checkups) -> dict[str, float]:
    """The mean of the dimension scores (0-100) over the check-ups handed in."""
    sums: dict[str, list[float]] = {}
    for c in checkups:
        for name, score in (c.self_scores or {}).items():
            sums.setdefault(name, []).append(score)
    return {name: round(sum(v) / len(v), 1) for name, v in sums.items()}


@dataclass
class BranchStatus:
    org: Organization
    year: int
    rows: list  # (member, checkup | None)
    done: int
    reviewed: int
    average: dict[str, float]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def rate(self) -> int | None:
        return round(self.done * 100 / self.total) if self.total else None


def branch_status(user, org: Organization, year: int) -> BranchStatus:
    """The branch's active members with their check-up of the year (two queries)."""
    members = list(
        scope_queryset(user, Member.objects.filter(org=org, left_on__isnull=True), REVIEW, ScopeFields(org="org"))
        .only("id", "name", "org_id", "user_id")
        .order_by("name")
    )
    checkups = {c.member_id: c for c in Checkup.objects.filter(org=org, year=year)}
    rows = [(m, checkups.get(m.pk)) for m in members]
    handed = [c for c in checkups.values() if c.status in DONE]
    return BranchStatus(
        org=org,
        year=year,
        rows=rows,
        done=sum(1 for _m, c in rows if c and c.status in DONE),
        reviewed=sum(1 for _m, c in rows if c and c.status == CheckupStatus.REVIEWED),
        average=average(handed),
    )


def completion(orgs: list[Organization], year: int) -> tuple[int, int]:
    """(members, handed in) over branches: for the secretary's workbench."""
    total = Member.objects.filter(org__in=orgs, left_on__isnull=True).count()
    done = Checkup.objects.filter(org__in=orgs, year=year, status__in=DONE, member__left_on__isnull=True).count()
    return total, done


def branch_average(org_id: int, year: int) -> dict[str, float]:
    return average(Checkup.objects.filter(org_id=org_id, year=year, status__in=DONE).only("self_scores"))


def dimension_names(q: Questionnaire | None, *more: dict) -> list[str]:
    names = [d.name for d in q.dimensions.all()] if q is not None else []
    for scores in more:
        names.extend(n for n in scores or {} if n not in names)
    return names


def radar(names: list[str], series: list[tuple[str, dict[str, float]]]) -> str:
    """An ECharts radar option: one indicator per dimension (0-100), one line per series."""
    option = {
        "tooltip": {},
        "legend": {"bottom": 0},
        "radar": {
            "indicator": [{"name": n, "max": 100} for n in names],
            "radius": "62%",
            "axisName": {"color": "#333"},
        },
        "series": [
            {
                "type": "radar",
                "areaStyle": {"opacity": 0.15},
                "data": [{"name": label, "value": [scores.get(n, 0) for n in names]} for label, scores in series],
            }
        ],
    }
    return json.dumps(option, ensure_ascii=False)


def table_rows(names: list[str], series: list[tuple[str, dict[str, float]]]) -> list[tuple[str, list]]:
    """(dimension, [(series label, score)]) for the table beside the radar."""
    return [(n, [(label, s.get(n)) for label, s in series]) for n in names]


def history_rows(checkups: list[Checkup], names: list[str]) -> list[tuple[int, str, list]]:
    return [
        (c.year, c.get_status_display(), [(n, c.self_scores.get(n)) for n in names]) for c in checkups if c.self_scores
    ]


def labels():
    return {"self": _("自评"), "review": _("支部评议"), "branch": _("支部平均")}
