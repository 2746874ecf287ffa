"""Study (学习教育): materials, courses, assignments, reading progress by the time actually spent on the page, the
annual required hours, self-study notes, and discussion threads with the secretary's moderation."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="learning/",
    api="api",
    nav=(
        # one entry in the party section (the zone admin's sections stay short); assignments, discussions, notes
        # and courses are reached from the study page, and the longest URL prefix keeps this entry active there
        Nav(_("学习教育"), "learning:home", "book", "learning.view", section="learning", order=50),
        Nav(
            _("学习统计"),
            "learning:stats",
            "bar-chart",
            "learning.stats",
            section="insight",
            order=40,
            also=("learning:feedback",),
        ),
    ),
    permissions={
        # a member studies, keeps its notes and takes part in its branch's discussions
        "learning.view": frozenset({*PARTY, Role.MEMBER}),
        "learning.manage": PARTY,  # publish materials and courses, assign them
        "learning.moderate": PARTY,  # hide a post with a reason
        "learning.stats": PARTY,  # completion, hours by committee, feedback per branch
        "learning.configure": frozenset({Role.ZONE_ADMIN}),  # the annual required hours
    },
    panels="workbench",
    crawl="crawl",
    seed="hongyin.learning.seed.seed_study",
    seed_order=75,
)
