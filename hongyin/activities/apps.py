from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ActivitiesConfig(AppConfig):
    name = "hongyin.activities"
    label = "activities"
    verbose_name = pgettext_lazy("app", "组织活动")
