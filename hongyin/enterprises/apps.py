from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EnterprisesConfig(AppConfig):
    name = "hongyin.enterprises"
    label = "enterprises"
    verbose_name = pgettext_lazy("app", "企业与楼宇")

    def ready(self) -> None:
        from . import imports, search, workbench  # noqa: F401  registers job kinds, the searcher, the panels
