from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "hongyin.appeals"
    label = "appeals"

    def ready(self) -> None:
        from . import search, services_calendar, tasks, workbench  # noqa: F401  panels, search, SLA job, calendar hook
