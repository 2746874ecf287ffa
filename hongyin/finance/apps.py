from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class FinanceConfig(AppConfig):
    name = "hongyin.finance"
    label = "finance"
    verbose_name = pgettext_lazy("app", "红色增信与伙伴")
