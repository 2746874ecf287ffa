"""The party-spirit check-up (党性体检): a versioned questionnaire of dimensions and items configured by the zone, a
member's yearly self-assessment (by touch, on a phone or the kiosk), the branch's review, radar charts and history."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="checkup/",
    api="api",
    nav=(
        Nav(pgettext_lazy("app", "党性体检"), "checkup:mine", "heart-pulse", "checkup.view", section="me", order=31),
        Nav(
            _("支部党性体检"),
            "checkup:branch",
            "clipboard2-pulse",
            "checkup.review",
            section="learning",
            order=60,
            also=("checkup:detail", "checkup:questionnaire"),
        ),
    ),
    permissions={
        # a member fills and sees their own check-up only; the party roles review those of their branches
        "checkup.view": frozenset({*PARTY, Role.MEMBER}),
        "checkup.review": PARTY,
        "checkup.configure": frozenset({Role.ZONE_ADMIN}),
    },
    panels="workbench",
    crawl="crawl",
    seed="hongyin.checkup.seed.seed_checkups",
    seed_order=88,
)
