"""The party-spirit check-up (党性体检): dimensions, items, self-assessment, branch review, radar."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
