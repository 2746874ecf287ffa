from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hongyin.jobs"
    label = "jobs"
