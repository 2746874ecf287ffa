from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PointsConfig(AppConfig):
    name = "hongyin.points"
    label = "points"
    verbose_name = pgettext_lazy("app", "积分")
