from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ImportsConfig(AppConfig):
    name = "hongyin.imports"
    label = "imports"
    verbose_name = pgettext_lazy("app", "数据导入")

    def ready(self) -> None:
        from . import registry

        registry.autodiscover()  # the apps' import_kinds modules (each registers its kinds and their job runner)
