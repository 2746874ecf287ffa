"""Workbench to-dos for secretaries and committee admins: six-monthly reviews, candidates ready, probations ending."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import candidates_ready, probations_ending, reviews_due


@panel(
    key="development_due",
    title=_("发展党员提醒"),
    template="development/panels/todo.html",
    perm="development.manage",
    section="todo",
    order=30,
)
def development_due(user) -> dict:
    url = reverse("development:due")
    return {
        "items": [
            (_("积极分子半年考察到期"), reviews_due(user=user).count(), url, False),
            (_("可确定为发展对象"), candidates_ready(user=user).count(), url, False),
            (_("预备期即将期满"), probations_ending(user=user).count(), url, True),
        ]
    }
