from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DevelopmentConfig(AppConfig):
    name = "hongyin.development"
    label = "development"
    verbose_name = pgettext_lazy("app", "发展党员")

    def ready(self) -> None:
        from . import search, services, workbench  # noqa: F401  panels, searcher, the workflow (audit labels)
