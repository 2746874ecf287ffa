"""Workbench panels of activities: a member's coming activities signed up for; an organizer's (secretary's)
activities of its organizations with the attendance of its own members."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel
from hongyin.members.selectors import own_member_record

from . import selectors


@panel(
    key="activities_mine",
    title=_("我报名的活动"),
    template="activities/panels/mine.html",
    perm="activities.view",
    section="todo",
    order=36,
)
def activities_mine(user) -> dict:
    member = own_member_record(user)
    return {
        "member": member,
        "rows": selectors.upcoming_for_member(member),
        "hours": selectors.volunteer_total(member) if member else None,
        "url": reverse("activities:list") + "?when=upcoming",
        "hours_url": reverse("activities:hours"),
    }


@panel(
    key="activities_branch",
    title=_("本单位组织活动"),
    template="activities/panels/branch.html",
    perm="activities.manage",
    section="todo",
    order=37,
)
def activities_branch(user) -> dict:
    return {"rows": selectors.branch_activities(user), "url": reverse("activities:list") + "?when=all"}
