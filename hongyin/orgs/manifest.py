"""Party organizations: the tree, committees, terms, merging."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="orgs/",
    api="api",
    nav=(Nav(_("组织架构"), "orgs:tree", "diagram-3", "orgs.view", section="party", order=10),),
    permissions={
        "orgs.view": frozenset({*PARTY, Role.MEMBER}),
        "orgs.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    },
    panels="workbench",
    import_kinds="import_kinds",
)
