"""Policies: publishing, matching and pushing them to enterprises."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="policies/",
    api="api",
    nav=(
        Nav(_("政策"), "policies:list", "file-earmark-text", "policies.view", section="service", order=40),
        Nav(_("收到的政策"), "policies:received", "envelope-paper", "policies.received", section="service", order=41),
    ),
    permissions={
        "policies.view": frozenset(
            {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT}
        ),
        "policies.manage": frozenset({Role.ZONE_ADMIN}),
        "policies.push": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        # the policies pushed to the contact's own enterprise
        "policies.received": frozenset({Role.ENTERPRISE_CONTACT}),
    },
    panels="workbench",
)
