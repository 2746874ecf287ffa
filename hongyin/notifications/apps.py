from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hongyin.notifications"
    label = "notifications"
    verbose_name = _("通知设置")

    def ready(self) -> None:
        from hongyin.common import hooks

        from .delivery import deliver_external

        hooks.register(hooks.DELIVER_EXTERNAL, deliver_external)
