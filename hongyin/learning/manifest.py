"""Study: materials, courses, assignments, reading progress, discussion threads."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
