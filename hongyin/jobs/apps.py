from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JobsConfig(AppConfig):
    name = "hongyin.jobs"
    label = "jobs"
    verbose_name = pgettext_lazy("app", "后台任务")
