from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "hongyin.common"
    label = "common"
