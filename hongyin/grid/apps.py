from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class GridConfig(AppConfig):
    name = "hongyin.grid"
    label = "grid"
    verbose_name = pgettext_lazy("app", "网格")
