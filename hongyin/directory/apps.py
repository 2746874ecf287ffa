from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The zone's reference institutions (departments, financial institutions, partners, alliance members) and the
    working-day calendar, maintained by the system administrator."""

    name = "hongyin.directory"
    label = "directory"
    verbose_name = _("名录与工作日历")

    def ready(self) -> None:
        from hongyin.common import hooks

        from .models import calendar_entries

        hooks.register(hooks.CALENDAR_ENTRIES, calendar_entries)
