from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CheckupConfig(AppConfig):
    name = "hongyin.checkup"
    label = "checkup"
    verbose_name = pgettext_lazy("app", "党性体检")
