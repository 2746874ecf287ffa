from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TransfersConfig(AppConfig):
    name = "hongyin.transfers"
    label = "transfers"
    verbose_name = pgettext_lazy("app", "组织关系转接")
