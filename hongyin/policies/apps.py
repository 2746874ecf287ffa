from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "hongyin.policies"
    label = "policies"
    verbose_name = _("政策")

    def ready(self) -> None:
        from hongyin.appeals.views import PORTAL_EXTRAS
        from hongyin.common import hooks

        from .workbench import portal_pushes

        hooks.register(PORTAL_EXTRAS, portal_pushes)
