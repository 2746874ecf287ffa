"""The points ledger: rules configured by the zone, versioned; an append-only ledger, idempotent per source."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from hongyin.common.manifests import AppManifest
from hongyin.common.roles import PARTY, Role

MANIFEST = AppManifest(
    permissions={
        # a member sees their own points; the party roles see the rankings of their scope
        "points.view": frozenset({*PARTY, Role.MEMBER}),
        "points.rank": PARTY,
        "points.adjust": PARTY,
        "points.configure": frozenset({Role.ZONE_ADMIN}),
    },
)
