from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "hongyin.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("app", "账号与权限")

    def ready(self) -> None:
        from . import signals  # noqa: F401  session tracking
