from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DuesConfig(AppConfig):
    name = "hongyin.dues"
    label = "dues"
    verbose_name = pgettext_lazy("app", "党费")

    def ready(self) -> None:
        from hongyin.common import hooks
        from hongyin.members.selectors import DUES_PAID_UNTIL

        from .selectors import paid_until

        hooks.register(DUES_PAID_UNTIL, paid_until)
