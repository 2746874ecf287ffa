"""Workbench panels of the check-up: a member's own status this year; a secretary's branch completion."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.workbench import panel

from . import selectors
from .models import Checkup


@panel(
    key="checkup_mine",
    title=pgettext_lazy("app", "党性体检"),
    template="checkup/panels/mine.html",
    perm="checkup.view",
    section="todo",
    order=60,
)
def checkup_mine(user) -> dict:
    member = selectors.own_member(user)
    if member is None:
        return {"member": None}
    year = timezone.localdate().year
    c = Checkup.objects.filter(member=member, year=year).only("status", "year").first()
    return {"member": member, "checkup": c, "year": year, "url": reverse("checkup:mine")}


@panel(
    key="checkup_branch",
    title=_("支部党性体检完成情况"),
    template="accounts/panels/figures.html",
    perm="checkup.review",
    section="figures",
    order=62,
)
def checkup_branch(user) -> dict:
    orgs = selectors.review_orgs(user)
    if not orgs:
        return {"figures": []}
    year = timezone.localdate().year
    total, done = selectors.completion(orgs, year)
    url = reverse("checkup:branch")
    rate = f"{round(done * 100 / total)}%" if total else "—"
    return {"figures": [(_("党员"), total, url), (_("已提交"), done, url), (_("完成率"), rate, url)]}
