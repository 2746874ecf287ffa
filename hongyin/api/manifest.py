"""The API toolkit's own operations: who am I, personal data."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest(
    api="api",
)
