from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AppealsConfig(AppConfig):
    name = "hongyin.appeals"
    label = "appeals"
    verbose_name = pgettext_lazy("app", "企业诉求")

    def ready(self) -> None:
        from hongyin.common import hooks
        from hongyin.grid.selectors import VISIT_MODEL

        from . import search, services, services_calendar, tasks, workbench  # noqa: F401  panels, search, SLA, hooks
        from .models import Visit

        hooks.register(VISIT_MODEL, lambda: Visit)  # grid's 两个覆盖 counts visits
