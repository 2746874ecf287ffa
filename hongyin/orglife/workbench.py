"""Workbench panels of organizational life. Every figure is computed by the selector of the page it links to:
the compliance panel by `selectors.compliance` with the same organization and months as its link."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import selectors
from .models import MeetingStatus
from .permissions import meetings_visible_to
from .views import compliance_url


def compliance_figures(user) -> dict | None:
    """The user's compliance at a glance (its highest organization, this year so far) and the page that shows it."""
    org = selectors.default_org(user)
    if org is None:
        return None
    today = timezone.localdate()
    start, end = selectors.default_range(today)
    report = selectors.compliance(user=user, org=org, start=start, end=end, today=today)
    return {
        "report": report,
        "url": compliance_url(org, start, end),
        "behind_url": compliance_url(org, start, end, behind=1),
    }


@panel(
    key="orglife_compliance",
    title=_("组织生活落实情况"),
    template="accounts/panels/figures.html",
    perm="orglife.compliance",
    section="figures",
    order=35,
)
def orglife_compliance(user) -> dict:
    found = compliance_figures(user)
    if found is None:
        return {"figures": []}
    report = found["report"]
    return {
        "figures": [
            (_("党支部"), len(report.rows), found["url"]),
            (_("未按要求开展的支部"), report.branches_behind, found["behind_url"]),
            (_("缺开期数"), report.missing_total, found["behind_url"]),
        ]
    }


@panel(
    key="orglife_todo",
    title=_("三会一课"),
    template="development/panels/todo.html",
    perm="orglife.manage",
    section="todo",
    order=33,
)
def orglife_todo(user) -> dict:
    url = reverse("orglife:list")
    today = timezone.localdate()
    mine = meetings_visible_to(user)
    drafts = mine.filter(status__in=[MeetingStatus.DRAFT, MeetingStatus.RETURNED]).count()
    items = [(_("待报送的会议记录"), drafts, f"{url}?status=draft", False)]
    if user.has_role_perm("orglife.approve"):
        waiting = selectors.awaiting_approval(user=user).count()
        items.append((_("待我审核的会议记录"), waiting, f"{url}?status=submitted", False))
    absent = selectors.absent_three_times(user=user, since=today - timedelta(days=365)).count()
    items.append((_("一年内缺席 3 次及以上的党员"), absent, reverse("orglife:standing"), absent > 0))
    found = compliance_figures(user)
    if found is not None:
        items.append((_("未按要求开展组织生活的支部"), found["report"].branches_behind, found["behind_url"], True))
    return {"items": items}


@panel(
    key="orglife_standing",
    title=_("党员组织生活预警（党章第九条）"),
    template="orglife/panels/standing.html",
    perm="orglife.manage",
    section="todo",
    order=34,
)
def orglife_standing(user) -> dict:
    rows = selectors.standing_list(user=user, today=timezone.localdate())
    return {
        "rows": rows[:8],
        "alert": sum(1 for _m, s in rows if s.level == "alert"),
        "flag": sum(1 for _m, s in rows if s.level == "flag"),
        "url": reverse("orglife:standing"),
    }
