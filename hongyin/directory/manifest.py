"""The directory: reference institutions and the working-day calendar, kept by the system admin in /admin/."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest(panels="workbench")  # the system admin's calendar panel
