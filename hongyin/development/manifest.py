"""Recruiting members (发展党员): the 25 steps from application to full membership."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="development/",
    api="api",
    nav=(Nav(_("发展党员"), "development:list", "person-plus", "development.view", section="party", order=30),),
    permissions={
        # a member sees its own case only
        "development.view": frozenset({*PARTY, Role.MEMBER}),
        "development.manage": PARTY,
        "development.approve": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    },
    hooks="services",  # the workflow (its actions and audit labels)
    panels="workbench",
    searchers="search",
    seed="hongyin.devtools.seed_development.seed_development",
    seed_order=40,
)
