from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "hongyin.dues"
    label = "dues"

    def ready(self) -> None:
        from . import workbench  # noqa: F401  registers the workbench panels
