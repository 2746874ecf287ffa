from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RoadshowsConfig(AppConfig):
    name = "hongyin.roadshows"
    label = "roadshows"
    verbose_name = pgettext_lazy("app", "路演与一站式服务")
