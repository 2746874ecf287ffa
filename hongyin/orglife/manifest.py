"""Organizational life (组织生活): meetings of 三会一课 and more, attendance and quorum, the report to the committee
above, the required frequencies (compliance) and the members' standing under art. 9 of the Party Constitution."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="orglife/",
    api="api",
    nav=(
        Nav(_("三会一课"), "orglife:list", "people", "orglife.view", section="party", order=45),
        Nav(
            _("组织生活落实情况"),
            "orglife:compliance",
            "clipboard-check",
            "orglife.compliance",
            section="party",
            order=46,
            also=("orglife:rules",),
        ),
    ),
    permissions={
        # a member sees its own branch's meetings once reported
        "orglife.view": frozenset({*PARTY, Role.MEMBER}),
        "orglife.manage": PARTY,
        "orglife.approve": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "orglife.compliance": PARTY,
        "orglife.configure": frozenset({Role.ZONE_ADMIN}),
    },
    hooks="services",  # the workflow (its actions and audit labels)
    panels="workbench",
    crawl="crawl",
    bench="hongyin.devtools.bench.orglife",  # devtools is the top layer: the bench helpers live there
    seed="hongyin.orglife.seed.seed_meetings",
    seed_order=70,
)
