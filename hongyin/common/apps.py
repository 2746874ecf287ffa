from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CommonConfig(AppConfig):
    name = "hongyin.common"
    label = "common"
    verbose_name = pgettext_lazy("app", "通知与附件")
