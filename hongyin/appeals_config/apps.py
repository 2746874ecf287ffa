from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfigConfig(AppConfig):
    """Configuration the system administrator edits in the admin site: appeal categories and their SLAs."""

    name = "hongyin.appeals_config"
    label = "appeals_config"
    verbose_name = _("诉求类别配置")
