"""Party dues: bases, payments, reductions, the month close."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="dues/",
    api="api",
    nav=(Nav(_("党费"), "dues:ledger", "cash-coin", "dues.view", section="party", order=50),),
    permissions={
        # a member sees its own dues only
        "dues.view": frozenset({*PARTY, Role.MEMBER}),
        "dues.manage": PARTY,
        "dues.approve": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    },
    panels="workbench",
    seed="hongyin.devtools.seed_dues.seed_dues",
    seed_order=60,
    bench="hongyin.devtools.bench.dues",
)
