"""Enterprises, buildings and industry chains."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="enterprises/",
    api="api",
    nav=(
        Nav(_("企业库"), "enterprises:list", "buildings", "enterprises.view", section="enterprise", order=10),
        Nav(_("楼宇经济"), "enterprises:building_list", "building", "buildings.view", section="enterprise", order=20),
        Nav(_("产业链"), "enterprises:chain_list", "diagram-2", "chains.view", section="enterprise", order=30),
    ),
    permissions={
        "enterprises.view": frozenset(
            {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT}
        ),
        "enterprises.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "enterprises.export": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER}),
        "enterprises.import": frozenset({Role.ZONE_ADMIN}),
        "enterprises.assign_instructors": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "buildings.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER}),
        "buildings.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "chains.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
        "chains.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    },
    panels="workbench",
    searchers="search",
    jobs="imports",
    import_kinds="import_kinds",
    crawl="crawl",
    seed="hongyin.devtools.seed_enterprises.seed_enterprises",
    seed_order=20,
    bench="hongyin.devtools.bench.enterprises",
)
