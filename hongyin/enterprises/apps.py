from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hongyin.enterprises"
    label = "enterprises"

    def ready(self) -> None:
        from . import imports, search, workbench  # noqa: F401  registers job kinds, the searcher, the panels
