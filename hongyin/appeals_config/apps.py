from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfigConfig(AppConfig):
    """Configuration the system administrator edits in the admin site: categories, SLAs, the calendar."""

    name = "hongyin.appeals_config"
    label = "appeals_config"
    verbose_name = _("诉求与工作日配置")

    def ready(self) -> None:
        from hongyin.common import hooks

        from . import workbench  # noqa: F401  the system admin's calendar panel
        from .models import calendar_entries

        hooks.register(hooks.CALENDAR_ENTRIES, calendar_entries)
