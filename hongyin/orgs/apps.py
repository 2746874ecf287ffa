from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrgsConfig(AppConfig):
    name = "hongyin.orgs"
    label = "orgs"
    verbose_name = pgettext_lazy("app", "党组织")

    def ready(self) -> None:
        from . import workbench  # noqa: F401  registers the workbench panels
