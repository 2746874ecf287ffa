"""The enterprise contact's policy figures, and what the policies app adds to the contact's home (appeals)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import pushes_for_user


@panel(
    key="portal_todo",
    title=_("企业服务"),
    template="accounts/panels/figures.html",
    perm="appeals.rate",
    section="todo",
    order=5,
)
def portal_todo(user) -> dict:
    pushes = pushes_for_user(user).aggregate(unread=Count("id", filter=Q(read_at__isnull=True)), total=Count("id"))
    return {"figures": [(_("未读政策推送"), pushes["unread"]), (_("收到的政策"), pushes["total"])]}


def portal_pushes(user) -> dict:
    """The appeals portal's `PORTAL_EXTRAS` hook: the policies pushed to the contact's enterprise."""
    return {"pushes": pushes_for_user(user)[:20]}
