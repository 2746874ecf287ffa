"""The left navigation: one list, each entry shown only to roles whose permission it names."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    perm: str


NAV: list[NavItem] = [
    NavItem(_("工作台"), "accounts:workbench", "speedometer2", "shell.use"),
    NavItem(_("组织架构"), "orgs:tree", "diagram-3", "orgs.view"),
    NavItem(_("党员名册"), "members:list", "people-fill", "members.view"),
    NavItem(_("我的档案"), "members:me", "person-vcard", "members.self"),
    NavItem(_("党建统计"), "members:stats", "pie-chart", "members.view"),
    NavItem(_("发展党员"), "development:list", "person-plus", "development.view"),
    NavItem(_("组织关系转接"), "transfers:list", "arrow-left-right", "transfers.view"),
    NavItem(_("党费"), "dues:ledger", "cash-coin", "dues.view"),
    NavItem(_("企业库"), "enterprises:list", "buildings", "enterprises.view"),
    NavItem(_("楼宇经济"), "enterprises:building_list", "building", "buildings.view"),
    NavItem(_("产业链"), "enterprises:chain_list", "diagram-2", "chains.view"),
    NavItem(_("两个覆盖"), "grid:coverage", "grid-3x3", "grid.view"),
    NavItem(_("企业服务"), "appeals:portal", "building", "appeals.rate"),
    NavItem(_("诉求"), "appeals:list", "chat-square-text", "appeals.view"),
    NavItem(_("诉求队列"), "appeals:queue", "inbox", "appeals.queue"),
    NavItem(_("走访"), "appeals:visits", "geo-alt", "visits.view"),
    NavItem(_("诉求统计"), "appeals:stats", "bar-chart", "appeals.stats"),
    NavItem(_("承办部门"), "appeals:departments", "diagram-2", "appeals.dispatch"),
    NavItem(_("政策"), "policies:list", "file-earmark-text", "policies.view"),
    NavItem(_("通知设置"), "notification_prefs:preferences", "bell", "notifications.prefs"),
    NavItem(_("用户管理"), "accounts:user_list", "people", "accounts.manage_users"),
    NavItem(_("角色授权"), "accounts:role_list", "shield-lock", "accounts.manage_roles"),
    NavItem(_("审计日志"), "audit:list", "journal-text", "audit.view"),
    NavItem(_("后台任务"), "jobs:list", "hourglass-split", "jobs.view"),
    NavItem(_("API 令牌"), "accounts:tokens", "key", "api.tokens"),
    NavItem(_("账号安全"), "accounts:account_security", "shield-check", "shell.use"),
    NavItem(_("系统配置"), "admin:index", "gear", "admin.site"),
]


def nav_for(user, current_path: str) -> list[dict]:
    """The entries the user may use; the one whose URL is the longest prefix of the current path is active."""
    items = [
        {"label": item.label, "url": reverse(item.url_name), "icon": item.icon, "active": False}
        for item in NAV
        if user.has_role_perm(item.perm)
    ]
    matches = [i for i in items if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
