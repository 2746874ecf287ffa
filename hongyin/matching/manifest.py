"""Supply-demand posts, explainable matching, contacts and deals along a chain."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
