"""Workbench panels of study. Each figure is computed by the selector of the page it links to."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import selectors
from .permissions import own_member
from .views import hours_chart


@panel(
    key="learning_mine",
    title=_("我的学习"),
    template="learning/panels/mine.html",
    perm="learning.view",
    section="todo",
    order=36,
)
def learning_mine(user) -> dict:
    member = own_member(user)
    if member is None:
        return {"year": None, "rows": [], "url": reverse("learning:home")}
    return {
        "year": selectors.my_year(member),
        "rows": selectors.my_assignments(member, open_only=True)[:6],
        "url": reverse("learning:home"),
    }


@panel(
    key="learning_todo",
    title=_("学习教育"),
    template="development/panels/todo.html",
    perm="learning.manage",
    section="todo",
    order=37,
)
def learning_todo(user) -> dict:
    year = timezone.localdate().year
    items = []
    for a, c in selectors.unfinished_for(user, limit=6):
        label = _("%(t)s：未完成的党员") % {"t": a.title}
        items.append(
            (label, c.unfinished, reverse("learning:assignment", args=[a.pk]), a.due_on < timezone.localdate())
        )
    if not items:
        items.append((_("学习任务未完成的党员"), 0, reverse("learning:assignments"), False))
    feedback_url = f"{reverse('learning:feedback')}?year={year}"
    items.append((_("本年度交流研讨发言和回复"), selectors.feedback_total(user, year), feedback_url, False))
    return {"items": items}


@panel(
    key="learning_hours",
    title=_("学时完成率（各党委）"),
    template="learning/panels/hours.html",
    perm="learning.configure",
    section="figures",
    order=38,
)
def learning_hours(user) -> dict:
    root = selectors.hours_root(user)
    year = timezone.localdate().year
    rows = selectors.hours_by_committee(root, year) if root else []
    return {"rows": rows, "chart_json": hours_chart(rows), "url": reverse("learning:stats")}
