from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .models import OPEN_STATUSES
from .permissions import appeals_visible_to
from .selectors import appeal_figures


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
    today = timezone.localdate()
    c = appeals_visible_to(user).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        due_today=Count("id", filter=Q(status__in=OPEN_STATUSES, due_on=today)),
        to_rate=Count("id", filter=Q(status="closed", rating="")),
    )
    return {
        "figures": [
            (_("未办结"), c["open"]),
            (_("已超期"), c["overdue"]),
            (_("今日到期"), c["due_today"]),
            (_("待评价"), c["to_rate"]),
        ]
    }


@panel(
    key="appeal_figures", title=_("诉求办理"), template="accounts/panels/figures.html", perm="appeals.stats", order=30
)
def appeal_figure_panel(user) -> dict:
    f = appeal_figures(user=user)
    return {
        "figures": [
            (_("响应率"), _pct(f["response_rate"])),
            (_("按时办结率"), _pct(f["on_time_rate"])),
            (_("满意率"), _pct(f["satisfaction_rate"])),
            (_("平均办理工作日"), f["avg_days"] if f["avg_days"] is not None else "—"),
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
    from datetime import timedelta

    from .models import Visit
    from .permissions import visits_visible_to
    from .selectors import not_visited

    today = timezone.localdate()
    planned = (
        visits_visible_to(user)
        .filter(status=Visit.Status.PLANNED, visited_on__gte=today, visited_on__lte=today + timedelta(days=7))
        .count()
    )
    return {"figures": [(_("90 天未走访企业"), not_visited(user=user).count()), (_("未来 7 天计划走访"), planned)]}
