"""Accounts: sign-in, the workbench, users and roles (三权分立), API tokens, the admin site."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="",
    api="api",
    nav=(
        Nav(_("工作台"), "accounts:workbench", "speedometer2", "shell.use", section="home", order=0),
        Nav(_("用户管理"), "accounts:user_list", "people", "accounts.manage_users", section="system", order=10),
        Nav(_("角色授权"), "accounts:role_list", "shield-lock", "accounts.manage_roles", section="system", order=20),
        Nav(
            _("登录失败"),
            "accounts:sign_in_failures",
            "shield-exclamation",
            "accounts.manage_credentials",
            section="system",
            order=25,
        ),
        Nav(
            _("系统配置"),
            "admin:index",
            "gear",
            "admin.site",
            section="system",
            order=90,
            surfaces=frozenset({"desktop"}),
        ),
        Nav(_("API 令牌"), "accounts:tokens", "key", "api.tokens", section="me", order=30),
        Nav(_("账号安全"), "accounts:account_security", "shield-check", "shell.use", section="me", order=10),
    ),
    permissions={
        "api.tokens": frozenset(Role),
        # separated administration (三权分立)
        "admin.site": frozenset({Role.SYSTEM_ADMIN}),
        "accounts.manage_users": frozenset({Role.SYSTEM_ADMIN}),
        "accounts.manage_roles": frozenset({Role.SECURITY_ADMIN}),
        # another account's credentials: second factor and privileged accounts' passwords (services decide which)
        "accounts.manage_credentials": frozenset({Role.SECURITY_ADMIN}),
        "accounts.reset_password": frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
        "security.policy": frozenset({Role.SECURITY_ADMIN}),
    },
    panels="workbench",
    bench="hongyin.devtools.bench.foundation",
)
