"""The points ledger: rules configured by the zone, versioned; an append-only ledger, idempotent per source."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
