from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "hongyin.devtools"
    label = "devtools"
