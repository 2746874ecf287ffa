from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DevelopmentConfig(AppConfig):
    name = "hongyin.development"
    label = "development"
    verbose_name = pgettext_lazy("app", "发展党员")
