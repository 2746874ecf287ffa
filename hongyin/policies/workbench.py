"""The enterprise contact's policy figures, and what the policies app adds to the contact's home (appeals)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import pushes_for_user


@panel(
    key="portal_todo",
    title=_("企业服务"),
    template="accounts/panels/figures.html",
    perm="policies.received",
    section="todo",
    order=5,
)
def portal_todo(user) -> dict:
    """Counted by the received-policies list itself, each figure linking to it in that state."""
    url = reverse("policies:received")
    return {
        "figures": [
            (_("未读政策推送"), pushes_for_user(user, "unread").count(), f"{url}?state=unread"),
            (_("收到的政策"), pushes_for_user(user).count(), url),
        ]
    }


def portal_pushes(user) -> dict:
    """The appeals portal's `PORTAL_EXTRAS` hook: the policies pushed to the contact's enterprise."""
    return {"pushes": pushes_for_user(user)[:20]}
