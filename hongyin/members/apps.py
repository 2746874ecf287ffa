from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "hongyin.members"
    label = "members"
