"""The one import pipeline: upload, preview, confirm for every import kind."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest(
    url_prefix="imports/",
    api="api",
    jobs="jobs",
    crawl="crawl",
)
