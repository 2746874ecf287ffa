"""Workbench to-dos: members 3+ months in arrears (alert) and 6+ months (art. 9 of the Party Constitution)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import arrears_counts


@panel(
    key="dues_arrears",
    title=_("党费欠缴"),
    template="development/panels/todo.html",
    perm="dues.manage",
    section="todo",
    order=32,
)
def dues_arrears(user) -> dict:
    counts = arrears_counts(user=user)
    url = reverse("dues:arrears")
    return {
        "items": [
            (_("连续欠缴 3-5 个月"), counts["alert"], f"{url}?months=3", False),
            (_("连续 6 个月未缴（党章第九条）"), counts["art9"], f"{url}?months=6", True),
        ]
    }
