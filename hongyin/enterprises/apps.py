from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EnterprisesConfig(AppConfig):
    name = "hongyin.enterprises"
    label = "enterprises"
    verbose_name = pgettext_lazy("app", "企业与楼宇")
