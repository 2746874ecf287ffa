"""Quizzes (知识测试): the question bank, papers drawn from it, timed attempts, grading and results per branch."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="quizzes/",
    api="api",
    nav=(
        # one entry: a member's papers; a party role without a member record lands on the papers and results
        Nav(
            _("知识测试"),
            "quizzes:home",
            "patch-question",
            "quizzes.take",
            section="learning",
            order=52,
            also=("quizzes:papers", "quizzes:bank", "quizzes:grading", "quizzes:paper_new", "quizzes:import"),
        ),
    ),
    permissions={
        # a member takes the papers of its organization (secretaries and committee staff are members too)
        "quizzes.take": frozenset({Role.MEMBER, *PARTY}),
        "quizzes.bank": frozenset({Role.ZONE_ADMIN}),
        "quizzes.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
        "quizzes.grade": PARTY,
        "quizzes.results": PARTY,
    },
    import_kinds="import_kinds",
    panels="workbench",
    crawl="crawl",
    seed="hongyin.quizzes.seed.seed_quizzes",
    seed_order=85,
)
