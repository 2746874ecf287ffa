from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "hongyin.development"
    label = "development"

    def ready(self) -> None:
        from . import search, workbench  # noqa: F401  registers the workbench panels and the searcher
