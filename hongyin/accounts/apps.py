from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hongyin.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import workbench  # noqa: F401  registers the workbench panels
