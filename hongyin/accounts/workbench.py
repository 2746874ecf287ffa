"""Workbench panels of the foundation: the user's scopes, and the admin roles' own figures."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import USER_STATES, users_in_state


@panel(key="my_scope", title=_("我的权限范围"), template="accounts/panels/scope.html", perm="shell.use", order=1)
def my_scope(user) -> dict:
    return {"assignments": user.assignments}


@panel(
    key="security_figures",
    title=_("账号安全"),
    template="accounts/panels/figures.html",
    perm="accounts.manage_roles",
    order=10,
)
def security_figures(user) -> dict:
    from hongyin.audit.models import AuditEvent

    from .models import RoleAssignment, User

    day = timezone.now() - timedelta(days=1)
    return {
        "figures": [
            (_("账号总数"), User.objects.count()),
            (_("角色授权"), RoleAssignment.objects.count()),
            (_("24 小时登录失败"), AuditEvent.objects.filter(action="auth.login_failed", at__gte=day).count()),
        ]
    }


@panel(
    key="user_figures", title=_("账号"), template="accounts/panels/figures.html", perm="accounts.manage_users", order=10
)
def user_figures(user) -> dict:
    """Counted as the user list counts them, each linking to that list filtered by its state."""
    url = reverse("accounts:user_list")
    return {
        "figures": [
            (label, users_in_state(key).count(), f"{url}?state={key}") for key, (label, _q) in USER_STATES.items()
        ]
    }
