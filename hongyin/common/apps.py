from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CommonConfig(AppConfig):
    name = "hongyin.common"
    label = "common"
    verbose_name = pgettext_lazy("app", "通知与附件")

    def ready(self) -> None:
        from .manifests import start_up

        start_up()  # every app's panels, searchers, job and import kinds, hooks (their manifests name them)
