from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "hongyin.members"
    label = "members"

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the import runner
