from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DevtoolsConfig(AppConfig):
    name = "hongyin.devtools"
    label = "devtools"
    verbose_name = pgettext_lazy("app", "开发工具")
