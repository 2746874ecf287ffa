"""Workbench panels of the foundation: the user's scopes, and the admin roles' own figures."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import USER_STATES, role_holders, sign_in_failures, users_in_state


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
    """Counted by the lists the security admin opens: the role list and the sign-in failures page."""
    failures = reverse("accounts:sign_in_failures")
    return {
        "figures": [
            (_("持有角色的账号"), role_holders().count(), reverse("accounts:role_list")),
            (
                _("24 小时登录失败"),
                sign_in_failures(hours=24, kind="failed").count(),
                f"{failures}?hours=24&kind=failed",
            ),
            (
                _("24 小时锁定尝试"),
                sign_in_failures(hours=24, kind="locked").count(),
                f"{failures}?hours=24&kind=locked",
            ),
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
