"""Transfers of organizational relationship (组织关系转接)."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY

MANIFEST = AppManifest(
    url_prefix="transfers/",
    api="api",
    nav=(Nav(_("组织关系转接"), "transfers:list", "arrow-left-right", "transfers.view", section="party", order=40),),
    permissions={"transfers.view": PARTY, "transfers.manage": PARTY},
    hooks="services",  # the workflow (its actions and audit labels)
    panels="workbench",
    searchers="search",
    seed="hongyin.devtools.seed_transfers.seed_transfers",
    seed_order=50,
)
