"""Supply-demand posts, explainable matching, contacts and deals along a chain."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="matching/",
    api="api",
    nav=(
        Nav(
            pgettext_lazy("app", "供需对接"),
            "matching:list",
            "arrow-left-right",
            "matching.view",
            section="chain",
            order=60,
            also=("matching:new", "matching:detail", "matching:contacts"),
        ),
        Nav(_("产业链供需统计"), "matching:figures", "graph-up", "matching.figures", section="insight", order=60),
    ),
    permissions={
        "matching.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.ENTERPRISE_CONTACT}),
        "matching.post": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.ENTERPRISE_CONTACT}),
        "matching.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "matching.figures": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    },
    hooks="services",  # the workflows (their actions and audit labels)
    panels="workbench",
    crawl="crawl",
    bench="hongyin.devtools.bench.matching",  # devtools is the top layer: the bench helpers live there
    seed="hongyin.matching.seed.seed_matching",
    seed_order=90,
)
