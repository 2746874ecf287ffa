"""Workbench panels of the foundation: the user's scopes, and the admin roles' own figures."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel


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
    from .models import User

    return {
        "figures": [
            (_("启用账号"), User.objects.filter(is_active=True).count()),
            (_("停用账号"), User.objects.filter(is_active=False).count()),
            (_("须修改密码"), User.objects.filter(must_change_password=True).count()),
        ]
    }
