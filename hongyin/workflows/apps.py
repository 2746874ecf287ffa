from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class WorkflowsConfig(AppConfig):
    name = "hongyin.workflows"
    label = "workflows"
    verbose_name = pgettext_lazy("app", "工作流")
