"""Party members: the roster, a member's record, statistics, the roster import."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="members/",
    api="api",
    nav=(
        Nav(_("我的档案"), "members:me", "person-vcard", "members.self", section="party", order=5),
        Nav(_("党员名册"), "members:list", "people-fill", "members.view", section="party", order=20),
        Nav(
            _("党建统计"),
            "members:stats",
            "pie-chart",
            "members.view",
            section="insight",
            order=10,
            also=("orgs:detail?tab=figures",),  # where it leads
        ),
    ),
    permissions={
        "members.view": PARTY,
        "members.self": frozenset({Role.MEMBER}),
        "members.manage": PARTY,
        "personal_data.view": PARTY,
    },
    searchers="search",
    hooks="hooks",  # the organization page's member and figures tabs and counts, post holders; enterprise people
    jobs="jobs",
    import_kinds="import_kinds",
    seed="hongyin.devtools.seed_members.seed_members",
    seed_order=10,
    bench="hongyin.devtools.bench.members",
)
