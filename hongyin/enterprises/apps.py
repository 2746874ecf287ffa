from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hongyin.enterprises"
    label = "enterprises"
