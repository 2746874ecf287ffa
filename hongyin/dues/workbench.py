"""Workbench panels of dues: for secretaries, members 3-5 months in arrears (alert) and 6+ months (art. 9 of the
Party Constitution), each a link to the arrears list that counts them; for a member, its own standing."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import arrears_list, my_standing
from .services import ALERT_MONTHS, FLAG_MONTHS


@panel(
    key="dues_arrears",
    title=_("党费欠缴"),
    template="development/panels/todo.html",
    perm="dues.manage",
    section="todo",
    order=32,
)
def dues_arrears(user) -> dict:
    url = reverse("dues:arrears")
    alert = arrears_list(user=user, min_months=ALERT_MONTHS, below=FLAG_MONTHS).count()
    art9 = arrears_list(user=user, min_months=FLAG_MONTHS).count()
    return {
        "items": [
            (_("连续欠缴 3-5 个月"), alert, f"{url}?months={ALERT_MONTHS}&below={FLAG_MONTHS}", False),
            (_("连续 6 个月未缴（党章第九条）"), art9, f"{url}?months={FLAG_MONTHS}", True),
        ]
    }


@panel(
    key="my_dues",
    title=_("我的党员身份"),
    template="dues/panels/standing.html",
    perm="members.self",
    section="todo",
    order=6,
)
def my_dues(user) -> dict:
    return {"standing": my_standing(user=user), "url": reverse("dues:mine")}
