from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "hongyin.appeals"
    label = "appeals"
