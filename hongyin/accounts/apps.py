from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hongyin.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals, workbench  # noqa: F401  registers the workbench panels and session tracking
