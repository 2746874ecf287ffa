"""Roadshows and matchmaking events followed to landed projects; one-stop services and packages."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
