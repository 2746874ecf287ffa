"""The grid and the two coverages (两个覆盖)."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="grid/",
    api="api",
    nav=(Nav(_("两个覆盖"), "grid:coverage", "grid-3x3", "grid.view", section="enterprise", order=40),),
    permissions={
        "grid.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER}),
        "grid.manage": frozenset({Role.ZONE_ADMIN}),
    },
    panels="workbench",
    hooks="hooks",  # the enterprise page: placing it in a cell, the list's grid filter
)
