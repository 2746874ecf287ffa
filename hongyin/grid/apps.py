from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "hongyin.grid"
    label = "grid"
