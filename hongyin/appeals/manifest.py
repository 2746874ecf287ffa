"""Enterprise appeals (诉求) followed to a rated close, and visits (走访)."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="appeals/",
    api="api",
    nav=(
        Nav(
            _("企业服务"),
            "appeals:portal",
            "building",
            "appeals.rate",
            section="service",
            order=5,
            also=("appeals:new",),
        ),
        Nav(_("诉求"), "appeals:list", "chat-square-text", "appeals.view", section="service", order=10),
        Nav(_("诉求队列"), "appeals:queue", "inbox", "appeals.queue", section="service", order=20),
        Nav(_("走访"), "appeals:visits", "geo-alt", "visits.view", section="service", order=30),
        Nav(_("承办部门"), "appeals:departments", "diagram-2", "appeals.dispatch", section="service", order=60),
        Nav(_("诉求统计"), "appeals:stats", "bar-chart", "appeals.stats", section="insight", order=20),
    ),
    permissions={
        "appeals.view": frozenset(
            {
                Role.ZONE_ADMIN,
                Role.COMMITTEE_ADMIN,
                Role.GRID_OFFICER,
                Role.INSTRUCTOR,
                Role.ENTERPRISE_CONTACT,
                Role.DEPT_HANDLER,
            }
        ),
        "appeals.submit": frozenset(
            {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT}
        ),
        "appeals.dispatch": frozenset({Role.ZONE_ADMIN}),
        "appeals.handle": frozenset({Role.DEPT_HANDLER}),
        "appeals.follow_up": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
        "appeals.rate": frozenset({Role.ENTERPRISE_CONTACT}),
        "appeals.queue": frozenset({Role.DEPT_HANDLER, Role.ZONE_ADMIN}),
        "appeals.stats": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.DEPT_HANDLER}),
        "visits.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
        "visits.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
    },
    panels="workbench",
    searchers="search",
    seed="hongyin.devtools.seed_appeals.seed_appeals",
    seed_order=30,
    bench="hongyin.devtools.bench.appeals",
)
