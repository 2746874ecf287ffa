from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hongyin.api"
    label = "api"
