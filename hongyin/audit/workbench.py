"""The audit admin's figures: today's events, failed sign-ins and lockouts, each counted by the audit list's own
search and linking to that list filtered the same way."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import AuditFilterForm, audit_search


def todays(action: str = "") -> tuple[int, str]:
    """(count, link) of today's events, optionally of one action: the list page runs the same search."""
    query = {"since": timezone.localdate().isoformat(), **({"action": action} if action else {})}
    return audit_search(AuditFilterForm(query)).count(), f"{reverse('audit:list')}?{urlencode(query)}"


@panel(key="audit_figures", title=_("审计概况"), template="accounts/panels/figures.html", perm="audit.view", order=10)
def audit_figures(user) -> dict:
    return {
        "figures": [
            (_("今日事件"), *todays()),
            (_("今日登录失败"), *todays("auth.login_failed")),
            (_("今日账号锁定"), *todays("auth.lockout")),
        ]
    }
