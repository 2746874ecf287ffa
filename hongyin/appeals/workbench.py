from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import conf
from .models import AppealStatus
from .selectors import appeal_figures, appeal_list, not_visited, planned_visits


def _pct(v):
    return "—" if v is None else f"{v}%"


@panel(
    key="appeal_todo",
    title=_("诉求待办"),
    template="accounts/panels/figures.html",
    perm="appeals.view",
    section="todo",
    order=10,
)
def appeal_todo(user) -> dict:
    """Each figure is the appeal list's count with the filter its link carries (one selector, the same number)."""
    url = reverse("appeals:list")
    figures = [
        (_("未办结"), {"status": "open"}, "?status=open"),
        (_("已超期"), {"status": "open", "overdue": True}, "?status=open&overdue=1"),
        (_("今日到期"), {"status": "open", "due_today": True}, "?status=open&due=today"),
        (_("待评价"), {"status": AppealStatus.CLOSED, "unrated": True}, f"?status={AppealStatus.CLOSED}&rated=no"),
    ]
    return {"figures": [(label, appeal_list(user=user, **f).count(), url + query) for label, f, query in figures]}


@panel(
    key="appeal_figures", title=_("诉求办理"), template="accounts/panels/figures.html", perm="appeals.stats", order=30
)
def appeal_figure_panel(user) -> dict:
    f = appeal_figures(user=user)
    url = reverse("appeals:stats")
    return {
        "figures": [
            (_("响应率"), _pct(f["response_rate"]), url),
            (_("按时办结率"), _pct(f["on_time_rate"]), url),
            (_("满意率"), _pct(f["satisfaction_rate"]), url),
            (_("平均办理工作日"), f["avg_days"] if f["avg_days"] is not None else "—", url),
        ]
    }


@panel(
    key="visit_todo",
    title=_("走访"),
    template="accounts/panels/figures.html",
    perm="visits.view",
    section="todo",
    order=15,
)
def visit_todo(user) -> dict:
    days = conf.get("VISIT_COVERAGE_DAYS")
    return {
        "figures": [
            (
                _("%(n)d 天未走访企业") % {"n": days},
                not_visited(user=user, days=days).count(),
                f"{reverse('appeals:visit_coverage')}?days={days}",
            ),
            (
                _("未来 7 天计划走访"),
                planned_visits(user=user, within_days=7).count(),
                f"{reverse('appeals:visit_calendar')}?within=7",
            ),
        ]
    }
