"""The branch and committee regulations (支部工作条例): hard limits ("must") and warnings ("generally").

`org_checks(org, ...)` lists what a page shows: [(level, message)], level "error" (a must broken) or "warning".
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import extensions
from .models import BRANCH_KINDS, CommitteePost, Organization, OrgKind, Post

MIN_FULL_MEMBERS = 3
MAX_JOINT_UNITS = 5
WARN_MEMBERS = 50
COMMITTEE_THRESHOLD = 7  # >= 7 full members: a committee of 3-5 (at most 7)
COMMITTEE_MIN, COMMITTEE_USUAL_MAX, COMMITTEE_MAX = 3, 5, 7


@dataclass(frozen=True)
class Check:
    level: str  # "error" | "warning"
    message: str


def member_counts(org: Organization) -> dict:
    """{"total": n, "full": n}: the organization's own active members (counted by the members app)."""
    return extensions.member_counts(org)


def committee_size_limit(full_members: int) -> tuple[set, int]:
    """Which posts a branch of this size may fill, and how many people at most."""
    if full_members < COMMITTEE_THRESHOLD:
        return {Post.SECRETARY, Post.DEPUTY}, 2
    return set(Post.values), COMMITTEE_MAX


def org_checks(org: Organization, counts: dict | None = None, posts: list | None = None) -> list[Check]:
    checks: list[Check] = []
    if org.dissolved_on:
        return checks
    if org.kind in BRANCH_KINDS:
        counts = counts or member_counts(org)
        full, total = counts["full"], counts["total"]
        if full < MIN_FULL_MEMBERS:
            checks.append(Check("error", _("党支部应有 3 名以上正式党员，目前只有 %(n)s 名。") % {"n": full}))
        if total > WARN_MEMBERS:
            checks.append(
                Check(
                    "warning",
                    _("党员人数 %(n)s 名，一般不超过 50 名，可考虑分设党支部或设立党总支。") % {"n": total},
                )
            )
        if org.kind == OrgKind.JOINT_BRANCH and len(org.covered_units or []) > MAX_JOINT_UNITS:
            checks.append(Check("error", _("联合党支部覆盖单位不得超过 5 个。")))
        if posts is None:
            posts = list(CommitteePost.objects.filter(org=org, to_on__isnull=True).values_list("post", "member_id"))
        people = {m for _p, m in posts}
        has_secretary = any(p == Post.SECRETARY for p, _m in posts)
        if not has_secretary:
            checks.append(Check("warning", _("尚未配备党支部书记。")))
        if full >= COMMITTEE_THRESHOLD:
            if len(people) < COMMITTEE_MIN:
                checks.append(Check("error", _("正式党员 7 人以上的党支部应设立支部委员会（委员 3 至 5 人）。")))
            elif len(people) > COMMITTEE_USUAL_MAX:
                checks.append(Check("warning", _("支部委员会一般由 3 至 5 人组成。")))
        elif len(people) > 2 or any(p not in (Post.SECRETARY, Post.DEPUTY) for p, _m in posts):
            checks.append(Check("error", _("正式党员不足 7 人的党支部不设支部委员会，只设书记（可设副书记）。")))
    if org.kind == OrgKind.GENERAL_BRANCH or org.kind == OrgKind.COMMITTEE:
        pass
    state = org.term_state()
    if state == "overdue":
        checks.append(Check("error", _("班子任期已于 %(d)s 届满，应及时换届。") % {"d": org.term_ends_on}))
    elif state == "due":
        checks.append(Check("warning", _("班子任期将于 %(d)s 届满，请做好换届准备。") % {"d": org.term_ends_on}))
    return checks
