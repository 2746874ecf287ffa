"""Roadshows and matchmaking events followed to landed projects; one-stop services and packages."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import BUSINESS, Role

ORGANIZERS = frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN})

MANIFEST = AppManifest(
    url_prefix="roadshows/",
    api="api",
    nav=(
        Nav(
            _("路演与对接会"),
            "roadshows:list",
            "easel",
            "roadshows.view",
            section="chain",
            order=40,
            also=("roadshows:new", "roadshows:figures", "roadshows:outcomes"),
        ),
        Nav(
            _("一站式服务"),
            "roadshows:services",
            "grid-3x3-gap",
            "roadshows.services",
            section="chain",
            order=42,
            also=("roadshows:requests", "roadshows:package_request"),  # the requests page links from the catalogue
        ),
    ),
    permissions={
        # an enterprise contact sees the events where its enterprise presents or signed up
        "roadshows.view": frozenset({*ORGANIZERS, Role.ENTERPRISE_CONTACT}),
        "roadshows.manage": ORGANIZERS,
        # anyone signed in with a business role checks in by scanning the event's QR code
        "roadshows.checkin": BUSINESS,
        "roadshows.services": frozenset(
            {*ORGANIZERS, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT, Role.DEPT_HANDLER}
        ),
        "roadshows.services_manage": ORGANIZERS,
        "roadshows.request": frozenset({*ORGANIZERS, Role.ENTERPRISE_CONTACT}),
    },
    hooks="services",  # the workflows (their actions and audit labels)
    panels="workbench",
    crawl="crawl",
    seed="hongyin.roadshows.seed.seed_roadshows",
    seed_order=80,
)
