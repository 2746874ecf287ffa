from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top of the house: the API mount, the readiness check and the Prometheus metrics (they read every app)."""

    name = "hongyin.site"
    label = "site"

    def ready(self) -> None:
        from . import metrics

        metrics.connect_signals()
