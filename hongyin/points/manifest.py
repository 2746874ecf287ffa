"""The points ledger: rules configured by the zone, versioned; an append-only ledger, idempotent per source."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="points/",
    api="api",
    nav=(
        Nav(_("我的积分"), "points:mine", "award", "points.view", section="me", order=30),
        # one entry in the party section: the rule page and the adjustment are reached from the ranking page
        Nav(
            _("积分排行"),
            "points:ranking",
            "bar-chart-steps",
            "points.rank",
            section="learning",
            order=70,
            also=("points:rules", "points:adjust"),
        ),
    ),
    permissions={
        # a member sees their own points only; the party roles see the rankings of their scope
        "points.view": frozenset({*PARTY, Role.MEMBER}),
        "points.rank": PARTY,
        "points.adjust": PARTY,
        "points.configure": frozenset({Role.ZONE_ADMIN}),
    },
    panels="workbench",
    seed="hongyin.points.seed.seed_points",
    seed_order=65,
    bench="hongyin.devtools.bench.points",
)
