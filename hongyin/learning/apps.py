from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class LearningConfig(AppConfig):
    name = "hongyin.learning"
    label = "learning"
    verbose_name = pgettext_lazy("app", "学习教育")
