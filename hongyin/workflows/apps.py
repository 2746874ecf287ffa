from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "hongyin.workflows"
    label = "workflows"
    verbose_name = "Workflows"
