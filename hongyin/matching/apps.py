from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MatchingConfig(AppConfig):
    name = "hongyin.matching"
    label = "matching"
    verbose_name = pgettext_lazy("app", "供需对接")
