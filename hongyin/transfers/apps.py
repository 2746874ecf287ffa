from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "hongyin.transfers"
    label = "transfers"

    def ready(self) -> None:
        from . import search, workbench  # noqa: F401  registers the workbench panels and the searcher
