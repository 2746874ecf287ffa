from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SiteConfig(AppConfig):
    """The top of the house: the API mount, the readiness check and the Prometheus metrics (they read every app)."""

    name = "hongyin.site"
    label = "site"
    verbose_name = pgettext_lazy("app", "运行监测")

    def ready(self) -> None:
        from . import metrics

        metrics.connect_signals()
