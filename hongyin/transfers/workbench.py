"""Workbench to-dos: transfers waiting on the user's side and those open for more than 30 days."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import overdue, to_act


@panel(
    key="transfers_queue",
    title=_("组织关系转接"),
    template="development/panels/todo.html",
    perm="transfers.manage",
    section="todo",
    order=31,
)
def transfers_queue(user) -> dict:
    url = reverse("transfers:list")
    return {
        "items": [
            (_("待我方办理"), to_act(user=user).count(), f"{url}?status=all&queue=to_act", False),
            (_("超过 30 天未办结"), overdue(user=user).count(), f"{url}?status=all&queue=overdue", True),
        ]
    }
