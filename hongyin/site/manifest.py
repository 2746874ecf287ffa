"""Operations pages: /readyz (is this process fit to serve) and /metrics (Prometheus). /healthz is the shell's."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest(url_prefix="")
