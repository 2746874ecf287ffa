from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ImportsConfig(AppConfig):
    name = "hongyin.imports"
    label = "imports"
    verbose_name = pgettext_lazy("app", "数据导入")
