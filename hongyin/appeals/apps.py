from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "hongyin.appeals"
    label = "appeals"

    def ready(self) -> None:
        from . import search, tasks, workbench  # noqa: F401  panels, the global search, the SLA job
