"""Red credit, partner offers with four-priorities tickets, and investment."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
