"""Activities (组织活动): publish, sign up with a waiting list, QR check-in at the place, check-out for volunteer
hours, photos and a summary after; joint activities with several organizers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    url_prefix="activities/",
    api="api",
    nav=(
        Nav(
            pgettext_lazy("app", "组织活动"),
            "activities:list",
            "calendar-event",
            "activities.view",
            section="learning",
            order=47,
        ),
        Nav(
            _("我的志愿服务时长"),
            "activities:hours",
            "stopwatch",
            "activities.view",
            section="me",
            order=40,
        ),
    ),
    permissions={
        # members see the activities of their organizations and those above, sign up and check in for themselves
        "activities.view": frozenset({*PARTY, Role.MEMBER}),
        # publish for an organization in scope, show the check-in QR, see the own members' attendance
        "activities.manage": PARTY,
    },
    panels="workbench",
    crawl="crawl",
    seed="hongyin.activities.seed.seed_activities",
    seed_order=77,
)
