"""Workbench panels of organizational life. Every figure is computed by the selector of the page it links to:
the compliance panel by `selectors.compliance` with the same organization and months as its link."""

import json
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
    """The user's compliance at a glance (its highest organization, this year so far) and the page that shows it.
    Computed once per request (the panels share it: the user object lives as long as the request)."""
    today = timezone.localdate()
    cached = getattr(user, "_orglife_compliance", None)
    if cached is not None and cached[0] == today:
        return cached[1]
    org = selectors.default_org(user)
    found = None
    if org is not None:
        start, end = selectors.default_range(today)
        report = selectors.compliance(user=user, org=org, start=start, end=end, today=today)
        found = {
            "report": report,
            "url": compliance_url(org, start, end),
            "behind_url": compliance_url(org, start, end, behind=1),
        }
    user._orglife_compliance = (today, found)
    return found


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
    absent = len(selectors.absent_in_a_row(user=user, since=today - timedelta(days=365)))
    items.append((_("连续 3 次缺席会议的党员"), absent, reverse("orglife:absent"), absent > 0))
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


@panel(
    key="orglife_due",
    title=_("本期应开的会议"),
    template="orglife/panels/due.html",
    perm="orglife.manage",
    section="todo",
    order=32,
)
def orglife_due(user) -> dict:
    """Meetings due this period (not yet held) and overdue (an ended period missed this year): the compliance
    report's, for the same organization and months as the compliance page it links to."""
    found = compliance_figures(user)
    if found is None:
        return {"due": [], "overdue": [], "due_count": 0, "overdue_count": 0}
    due, overdue = selectors.due_and_overdue(found["report"])
    return {
        "due": due[:6],
        "overdue": overdue[:6],
        "due_count": len(due),
        "overdue_count": len(overdue),
        "url": found["url"],
        "behind_url": found["behind_url"],
        "new_url": reverse("orglife:new"),
        "one_branch": len(found["report"].rows) == 1,
    }


@panel(
    key="orglife_guide",
    title=_("组织生活指南"),
    template="orglife/panels/guide.html",
    perm="orglife.view",
    section="todo",
    order=31,
)
def orglife_guide(user) -> dict:
    today = timezone.localdate()
    return {"guide": selectors.current_guide(today), "today": today, "url": reverse("orglife:guides")}


@panel(
    key="orglife_committees",
    title=_("各党委组织生活落实情况"),
    template="orglife/panels/committees.html",
    perm="orglife.configure",
    section="figures",
    order=36,
)
def orglife_committees(user) -> dict:
    """The zone's compliance (this year so far) by committee: a bar chart of the rates and the table beside it."""
    found = compliance_figures(user)
    if found is None:
        return {"rows": []}
    report = found["report"]
    rows = selectors.compliance_by_committee(report)
    option = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 150, "right": 16, "top": 8, "bottom": 24},  # room for the committees' names
        "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {
            "type": "category",
            "data": [r.org.name for r in rows],
            "inverse": True,
            "axisLabel": {"width": 140, "overflow": "truncate"},
        },
        "series": [{"name": str(_("落实率")), "type": "bar", "data": [r.rate or 0 for r in rows]}],
    }
    return {
        "rows": [
            {
                "f": r,
                "url": compliance_url(r.org, report.start, report.end),
                "behind_url": compliance_url(r.org, report.start, report.end, behind=1),
            }
            for r in rows
        ],
        "chart_json": json.dumps(option, ensure_ascii=False),
        "height": 40 + 28 * len(rows),
    }
